using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary><c>collect_set(v)</c> per key k in complete mode into a Delta table (sets kept by the partition grains).</summary>
internal sealed class CollectSetPerKey : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths) =>
        Events.Read(spark, paths)
            .GroupBy("k")
            .Agg(CollectSet(Col("v")).Alias("vs"))
            .WriteStream()
            .OutputMode("complete")
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
}
