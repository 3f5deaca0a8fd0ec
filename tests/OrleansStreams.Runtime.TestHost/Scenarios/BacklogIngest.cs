using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>Ingests a whole backlog of kafka-raw JSON files in one batch (Auto Loader's default of 1,000 files per trigger) into a Delta table partitioned by topic.</summary>
internal sealed class BacklogIngest : IScenario
{
    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths) =>
        spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Schema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG")
            .Load(paths.Input)
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WriteStream()
            .Option("checkpointLocation", paths.Checkpoint)
            .PartitionBy("topic")
            .Trigger(Trigger.AvailableNow)
            .StartAsync(paths.Table);
}
