using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Bench;

/// <summary>
/// Our side of the ingest: the seed's bronze query (cloudFiles JSON → timestamp from epoch ms and
/// year_month → Delta partitioned by topic/year_month, AvailableNow) in an embedded session. The clock
/// runs from starting the query to its termination; the session (and its silo) is up before.
/// </summary>
internal static class BronzeIngest
{
    public const string Schema = "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG";

    public static async Task<JsonObject> RunAsync(string work, bool onSilo)
    {
        var root = Path.Combine(work, onSilo ? "ours-silo" : "ours-local");
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse"), RunQueriesOnSilo = onSilo });
        var batches = new List<JsonObject>();
        var watch = Stopwatch.StartNew();
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(Schema).Load(Path.Combine(work, "kafka-raw"))
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream().Option("checkpointLocation", Path.Combine(root, "checkpoint")).PartitionBy("topic", "year_month")
            .Trigger(Trigger.AvailableNow).ToTableAsync("bronze");
        await query.AwaitTerminationAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        var progress = query.RecentProgress.Select(p => p.ToJson()).ToList();
        var files = Directory.EnumerateFiles(Path.Combine(root, "warehouse", "bronze"), "*.parquet", SearchOption.AllDirectories).Count();
        Directory.Delete(root, recursive: true);
        return new JsonObject
        {
            ["seconds"] = seconds,
            ["batches"] = progress.Count,
            ["parquetFiles"] = files,
            ["durationMs"] = new JsonArray(progress.Select(p => p["durationMs"]!.DeepClone()).ToArray()),
        };
    }
}
