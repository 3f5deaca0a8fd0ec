using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// <c>GROUP BY key</c> with count and sum in complete mode into a Delta table: the query runs on grains, and the
/// groups are kept by the aggregation partition grains (the shuffled path).
/// </summary>
internal sealed class GroupedCounts(string keyColumn) : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths) =>
        Events.Read(spark, paths)
            .GroupBy(keyColumn)
            .Agg(Count(Lit(1)).Alias("n"), Sum(Col("v")).Alias("total"))
            .WriteStream()
            .OutputMode("complete")
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
}
