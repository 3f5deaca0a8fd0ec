using System.Diagnostics;
using System.Text.Json.Nodes;
using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Bench;

/// <summary>
/// Where the ingest's time goes: the same files through each stage of our pipeline on its own — read,
/// JSON decode, the two expressions, then partitioning and Parquet writing — timed by CPU seconds (all
/// threads, GC included), so the figures are per-core costs that hold on a shared machine.
/// </summary>
internal static class IngestBreakdown
{
    public static async Task<JsonObject> RunAsync(string work)
    {
        var schema = DdlParser.ParseSchema(BronzeIngest.Schema);
        var paths = Directory.EnumerateFiles(Path.Combine(work, "kafka-raw"), "*.json").Order(StringComparer.Ordinal).ToList();
        var bytes = paths.Sum(p => new FileInfo(p).Length);
        var result = new JsonObject { ["bytes"] = bytes };

        var contents = await MeasureAsync(result, "read", bytes, async () =>
        {
            var all = new List<byte[]>();
            foreach (var path in paths)
            {
                all.Add(await File.ReadAllBytesAsync(path));
            }

            return all;
        });

        var reader = new JsonLinesReader(FileFormatOptions.Parse(new Dictionary<string, string>()));
        var decoded = await MeasureAsync(result, "decode", bytes, async () =>
        {
            var batches = new List<RecordBatch>();
            foreach (var content in contents)
            {
                await foreach (var batch in reader.ReadAsync(new MemoryStream(content), schema, "bench"))
                {
                    batches.Add(batch);
                }
            }

            return batches;
        });
        contents.Clear();

        var session = new QuerySession(NoTables.Instance);
        var frame = session.CreateDataFrame(schema, decoded, "raw")
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"));
        var projected = await MeasureAsync(result, "project", bytes, () => session.CollectAsync(frame));
        decoded.Clear();

        var tableSchema = DdlParser.ParseSchema("key BINARY, value BINARY, topic STRING, partition BIGINT, offset BIGINT, timestamp TIMESTAMP, year_month STRING");
        var output = Path.Combine(work, "breakdown-table");
        await MeasureAsync(result, "partitionAndWrite", bytes, async () =>
        {
            await using var writer = new PartitionedFileWriter(new LocalFileObjectStore(output), tableSchema, ["topic", "year_month"]);
            foreach (var batch in projected)
            {
                await writer.AddAsync(batch, CancellationToken.None);
            }

            return await writer.FinishAsync(CancellationToken.None);
        });
        Directory.Delete(output, recursive: true);
        return result;
    }

    private static async Task<T> MeasureAsync<T>(JsonObject result, string stage, long bytes, Func<Task<T>> run)
    {
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var value = await run();
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        result[stage] = new JsonObject
        {
            ["cpuSeconds"] = Math.Round(cpuSeconds, 3),
            ["wallSeconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
            ["mbPerCpuSecond"] = Math.Round(bytes / 1e6 / cpuSeconds, 1),
        };
        return value;
    }
}
