using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 3: file-to-visible latency of a default-trigger bronze query on local files, in an embedded
/// session with its default options. Small kafka-raw files appear one at a time (written under a
/// hidden name, then renamed, so a file is never seen half written); a watcher polls the table's
/// <c>_delta_log</c> every millisecond, and a file's rows are visible when the first commit whose
/// adds reach its last offset (from the add stats) lands.
/// </summary>
internal static class LatencyBench
{
    private const int RowsPerFile = 100;

    /// <param name="pollInterval">How often the idle query looks for files; the session's default when null.</param>
    public static async Task<JsonObject> RunAsync(string work, bool small, TimeSpan? pollInterval)
    {
        var files = small ? 200 : 300;
        var root = Path.Combine(work, $"latency-{Guid.NewGuid():N}");
        var input = Path.Combine(root, "input");
        Directory.CreateDirectory(input);
        var options = new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse") };
        await using var spark = StreamingSession.Embedded(pollInterval is { } interval ? options with { PollInterval = interval } : options);
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(BronzeIngest.Schema).Load(input)
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WriteStream().Option("checkpointLocation", Path.Combine(root, "checkpoint")).PartitionBy("topic", "year_month")
            .ToTableAsync("bronze");

        var log = Path.Combine(root, "warehouse", "bronze", "_delta_log");
        var created = new long[files];
        var visible = new long[files];
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() => Watch(log, visible, stop.Token));
        var random = new Random(7);
        for (var f = 0; f < files; f++)
        {
            var content = KafkaRawFiles.File((long)f * RowsPerFile, RowsPerFile, 1000);
            var hidden = Path.Combine(input, $".part-{f:D5}.json.tmp");
            await File.WriteAllBytesAsync(hidden, content);
            File.Move(hidden, Path.Combine(input, $"part-{f:D5}.json"));
            created[f] = Stopwatch.GetTimestamp();
            await Task.Delay(random.Next(10, 60)); // files arrive irregularly, 35 ms apart on average
        }

        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref visible[files - 1]) == 0 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        var commits = await watcher;
        await query.StopAsync();
        var latencies = Enumerable.Range(0, files).Where(f => visible[f] != 0)
            .Select(f => Stopwatch.GetElapsedTime(created[f], visible[f]).TotalMilliseconds).Order().ToArray();
        if (latencies.Length < files)
        {
            throw new InvalidOperationException($"only {latencies.Length} of {files} files became visible within a minute");
        }

        double Percentile(double p) => Math.Round(latencies[(int)Math.Ceiling(p * latencies.Length) - 1], 1);
        return new JsonObject
        {
            ["files"] = files,
            ["rowsPerFile"] = RowsPerFile,
            ["commits"] = commits,
            ["p50Ms"] = Percentile(0.50),
            ["p95Ms"] = Percentile(0.95),
            ["p99Ms"] = Percentile(0.99),
            ["maxMs"] = Math.Round(latencies[^1], 1),
            ["pollIntervalMs"] = spark.Options.PollInterval.TotalMilliseconds,
        };
    }

    /// <summary>Polls for each next commit; marks every file up to the commit's highest offset visible at the time it appeared.</summary>
    private static int Watch(string log, long[] visible, CancellationToken stop)
    {
        var version = 0L;
        var seen = 0;
        var commits = 0;
        while (!stop.IsCancellationRequested)
        {
            var path = Path.Combine(log, $"{version:D20}.json");
            if (!File.Exists(path))
            {
                Thread.Sleep(1);
                continue;
            }

            var at = Stopwatch.GetTimestamp();
            version++;
            var maxOffset = MaxOffset(path);
            if (maxOffset < 0)
            {
                continue;
            }

            commits++;
            for (; seen < visible.Length && ((long)(seen + 1) * RowsPerFile) - 1 <= maxOffset; seen++)
            {
                Volatile.Write(ref visible[seen], at);
            }
        }

        return commits;
    }

    private static long MaxOffset(string commit)
    {
        var max = -1L;
        foreach (var line in File.ReadLines(commit))
        {
            var action = JsonNode.Parse(line)!;
            if (action["add"]?["stats"]?.GetValue<string>() is { } stats && JsonNode.Parse(stats)!["maxValues"]?["offset"] is { } offset)
            {
                max = Math.Max(max, offset.GetValue<long>());
            }
        }

        return max;
    }
}
