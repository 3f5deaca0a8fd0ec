using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

// Usage: <input folder> <warehouse> <checkpoint> <table path>
// Ingests the kafka-raw JSON files one per batch (AvailableNow) into a Delta table, on an embedded silo.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: OrleansStreams.Runtime.TestHost <input> <warehouse> <checkpoint> <table>");
    return 2;
}

await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = args[1] });
var query = await spark.ReadStream
    .Format("cloudFiles")
    .Option("cloudFiles.format", "json")
    .Option("cloudFiles.maxFilesPerTrigger", 1)
    .Schema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG")
    .Load(args[0])
    .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
    .WriteStream()
    .Option("checkpointLocation", args[2])
    .PartitionBy("topic")
    .Trigger(Trigger.AvailableNow)
    .StartAsync(args[3]);
await query.AwaitTerminationAsync();
Console.WriteLine($"done after {query.RecentProgress.Count} batches");
return 0;
