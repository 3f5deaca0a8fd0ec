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
        await WarmUpAsync(spark, root);

        var costs = RunCosts.Start();
        var watch = Stopwatch.StartNew();
        var query = await StartAsync(spark, Path.Combine(work, "kafka-raw"), Path.Combine(root, "checkpoint"), "bronze");
        await query.AwaitTerminationAsync();
        var seconds = watch.Elapsed.TotalSeconds;

        var result = Figures(query, seconds, costs.Since(), Table(root));
        await spark.DisposeAsync(); // the silo writes its state in the warehouse until it stops
        Directory.Delete(root, recursive: true);
        return result;
    }

    /// <summary>Where the measured query's table is under <paramref name="root"/>.</summary>
    public static string Table(string root) => Path.Combine(root, "warehouse", "bronze");

    /// <summary>The same query over one small file: starts the session's silo and warms the code path.</summary>
    public static async Task WarmUpAsync(StreamingSession spark, string root)
    {
        var warmUp = Path.Combine(root, "warm-up");
        KafkaRawFiles.WriteWarmUp(warmUp);
        await (await StartAsync(spark, warmUp, Path.Combine(root, "checkpoint-warm-up"), "warm_up")).AwaitTerminationAsync();
    }

    public static Task<StreamingQuery> StartAsync(StreamingSession spark, string input, string checkpoint, string table) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(Schema).Load(input)
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream().Option("checkpointLocation", checkpoint).PartitionBy("topic", "year_month")
            .Trigger(Trigger.AvailableNow).ToTableAsync(table);

    /// <summary>A finished run's figures: time, batches, data files written and what the run cost.</summary>
    public static JsonObject Figures(StreamingQuery query, double seconds, JsonObject costs, string table)
    {
        var progress = query.RecentProgress.Select(p => p.ToJson()).ToList();
        return new JsonObject
        {
            ["seconds"] = seconds,
            ["batches"] = progress.Count,
            ["parquetFiles"] = Directory.EnumerateFiles(table, "*.parquet", SearchOption.AllDirectories).Count(),
            ["durationMs"] = new JsonArray(progress.Select(p => p["durationMs"]!.DeepClone()).ToArray()),
            ["costs"] = costs,
        };
    }
}
