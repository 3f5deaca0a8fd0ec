using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.CrossProcess.TestHost;

/// <summary>
/// Auto Loader over a folder of JSON files into a Delta table partitioned by a string, a date, a double and a
/// timestamp, one file per batch until the folder is caught up (AvailableNow), on an embedded silo: the file
/// log, the checkpoint and the partition folders it leaves are what the next process (or DuckDB) reads.
/// </summary>
public static class PartitionedIngest
{
    public const string Schema = "id LONG, name STRING, day DATE, score DOUBLE, at TIMESTAMP";

    public static readonly string[] PartitionColumns = ["name", "day", "score", "at"];

    public static async Task RunAsync(string input, string warehouse, string checkpoint, string table)
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = warehouse });
        var query = await spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema(Schema)
            .Load(input)
            .WriteStream()
            .Option("checkpointLocation", checkpoint)
            .PartitionBy(PartitionColumns)
            .Trigger(Trigger.AvailableNow)
            .StartAsync(table);
        await query.AwaitTerminationAsync();
    }
}
