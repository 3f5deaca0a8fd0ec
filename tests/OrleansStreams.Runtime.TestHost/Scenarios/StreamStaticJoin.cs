using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// The events joined on k with a static Delta table <c>keys</c> (k, label, weight) the test writes into the
/// warehouse before the first run; each batch's matches are appended to a Delta table.
/// </summary>
internal sealed class StreamStaticJoin : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths)
    {
        Events.Read(spark, paths).CreateOrReplaceTempView("events_stream");
        return spark.Sql("SELECT e.id, e.k, e.v, s.label, e.v * s.weight AS weighted FROM events_stream e JOIN keys s ON e.k = s.k")!
            .WriteStream()
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
    }
}
