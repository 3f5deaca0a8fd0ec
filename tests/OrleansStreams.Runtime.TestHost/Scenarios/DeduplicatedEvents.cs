using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// <c>dropDuplicates(id, ts)</c> under a one-hour watermark on ts, appended to a Delta table: redelivered events
/// (same id and event time) are dropped while the watermark still remembers them.
/// </summary>
internal sealed class DeduplicatedEvents : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths) =>
        Events.Read(spark, paths)
            .WithWatermark("ts", "1 hour")
            .DropDuplicates("id", "ts")
            .Select("id", "ts", "k", "v")
            .WriteStream()
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
}
