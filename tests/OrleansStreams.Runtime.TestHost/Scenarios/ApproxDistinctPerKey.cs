using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary><c>approx_count_distinct(v)</c> per key k in complete mode into a Delta table (sketches kept by the partition grains).</summary>
internal sealed class ApproxDistinctPerKey : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths) =>
        Events.Read(spark, paths)
            .GroupBy("k")
            .Agg(ApproxCountDistinct(Col("v")).Alias("distinct_v"))
            .WriteStream()
            .OutputMode("complete")
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
}
