using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Bench;

/// <summary>
/// Our side of the ingest: the seed's bronze query (cloudFiles JSON → timestamp from epoch ms and
/// year_month → Delta partitioned by topic/year_month, AvailableNow) in an embedded session. The clock
/// runs from starting the query to its termination. Before it, the same query over one small file starts
/// the session's silo (which starts on first use) and warms the code path, as in a session that runs for long.
/// </summary>
internal static class BronzeIngest
{
    public const string Schema = "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG";

    public static async Task<JsonObject> RunAsync(string work, bool onSilo)
    {
        var root = Path.Combine(work, onSilo ? "ours-silo" : "ours-local");
        var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse"), RunQueriesOnSilo = onSilo });
        var warmUp = Path.Combine(root, "warm-up");
        Directory.CreateDirectory(warmUp);
        await File.WriteAllBytesAsync(Path.Combine(warmUp, "part-0.json"), KafkaRawFiles.File(0, 1000, 1000));
        await (await StartAsync(spark, warmUp, Path.Combine(root, "checkpoint-warm-up"), "warm_up")).AwaitTerminationAsync();

        var (allocated, collections, workItems) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(2), ThreadPool.CompletedWorkItemCount);
        var watch = Stopwatch.StartNew();
        var query = await StartAsync(spark, Path.Combine(work, "kafka-raw"), Path.Combine(root, "checkpoint"), "bronze");
        await query.AwaitTerminationAsync();
        var seconds = watch.Elapsed.TotalSeconds;

        // Steadier than time on a shared machine: what the run allocated, its full GCs, and how far the thread pool grew.
        var costs = new JsonObject
        {
            ["allocatedGb"] = Math.Round((GC.GetTotalAllocatedBytes() - allocated) / 1e9, 2),
            ["gen2Collections"] = GC.CollectionCount(2) - collections,
            ["threadPoolWorkItems"] = ThreadPool.CompletedWorkItemCount - workItems,
            ["threadPoolThreads"] = ThreadPool.ThreadCount,
        };
        var progress = query.RecentProgress.Select(p => p.ToJson()).ToList();
        var files = Directory.EnumerateFiles(Path.Combine(root, "warehouse", "bronze"), "*.parquet", SearchOption.AllDirectories).Count();
        await spark.DisposeAsync(); // the silo writes its state in the warehouse until it stops
        Directory.Delete(root, recursive: true);
        return new JsonObject
        {
            ["seconds"] = seconds,
            ["batches"] = progress.Count,
            ["parquetFiles"] = files,
            ["durationMs"] = new JsonArray(progress.Select(p => p["durationMs"]!.DeepClone()).ToArray()),
            ["costs"] = costs,
        };
    }

    private static Task<StreamingQuery> StartAsync(StreamingSession spark, string input, string checkpoint, string table) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(Schema).Load(input)
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream().Option("checkpointLocation", checkpoint).PartitionBy("topic", "year_month")
            .Trigger(Trigger.AvailableNow).ToTableAsync(table);
}
