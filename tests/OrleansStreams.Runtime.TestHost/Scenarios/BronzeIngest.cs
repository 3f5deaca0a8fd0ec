using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// Ingests kafka-raw JSON files into a Delta table partitioned by topic (no state): <paramref name="maxFilesPerTrigger"/>
/// files per batch, or Auto Loader's default of 1,000 (a whole backlog in one batch) when null.
/// </summary>
internal sealed class BronzeIngest(int? maxFilesPerTrigger) : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths) =>
        spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", maxFilesPerTrigger ?? 1_000)
            .Schema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG")
            .Load(paths.Input)
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WriteStream()
            .Option("checkpointLocation", paths.Checkpoint)
            .PartitionBy("topic")
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
}
