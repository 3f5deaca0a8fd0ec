using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Apache.Arrow;
using DuckDB.NET.Data;
using OrleansStreams.Client;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 2: a streaming complete-mode count by key. The input is a Delta table of random keys written in
/// ten commits; our query streams it one commit per micro-batch (maxFilesPerTrigger 1) into a memory
/// sink, keeping its aggregation state in the checkpoint, and the bytes each batch adds to the
/// checkpoint are read back from it. DuckDB and a hand loop (Parquet.Net + Dictionary) count the same files
/// in one pass, so our same query taking all ten files in one batch runs next to them: like with like.
/// Each engine first runs its query once over a small warm-up table (eleven commits of 1,000 keys) in the
/// same process, so the figures are the steady state's, not the start of a silo or of the JIT.
/// </summary>
internal static class AggregationBench
{
    public const int Batches = 10;
    private static readonly StructType Schema = DdlParser.ParseSchema("key BIGINT");

    public static async Task<JsonObject> RunAsync(string work, bool small, JsonObject peakMemory)
    {
        var rows = small ? 1_000_000 : 10_000_000;
        var runs = new JsonArray();
        foreach (var keys in new[] { 1_000, 1_000_000 })
        {
            await GenerateAsync(work, small, keys);
            var ours = await ChildProcess.RunAsync($"aggregate-ours:{keys}", work, small);
            var oneBatch = await ChildProcess.RunAsync($"aggregate-ours-onebatch:{keys}", work, small);
            var duck = await ChildProcess.RunAsync($"aggregate-duckdb:{keys}", work, small);
            var hand = await ChildProcess.RunAsync($"aggregate-handloop:{keys}", work, small);
            Directory.Delete(Input(work, keys), recursive: true);
            peakMemory[$"aggregate{keys}Keys"] = ours["peakWorkingSetMb"]!.DeepClone();
            peakMemory[$"aggregate{keys}KeysOneBatch"] = oneBatch["peakWorkingSetMb"]!.DeepClone();
            peakMemory[$"aggregate{keys}KeysDuckdb"] = duck["peakWorkingSetMb"]!.DeepClone();
            peakMemory[$"aggregate{keys}KeysHandLoop"] = hand["peakWorkingSetMb"]!.DeepClone();
            double RowsPerSec(JsonObject part) => Math.Round(rows / ResultTable.Number(part["seconds"]));
            runs.Add(new JsonObject
            {
                ["rows"] = rows,
                ["keys"] = keys,
                ["batches"] = Batches,
                ["rowsPerSec"] = RowsPerSec(ours),
                ["oneBatchRowsPerSec"] = RowsPerSec(oneBatch),
                ["oneBatchBatches"] = oneBatch["batches"]!.DeepClone(),
                ["duckdbRowsPerSec"] = RowsPerSec(duck),
                ["handLoopRowsPerSec"] = RowsPerSec(hand),
                ["checkpointBytesPerBatch"] = ours["checkpointBytesPerBatch"]!.DeepClone(),
                ["stateKeysPerBatch"] = ours["stateKeysPerBatch"]!.DeepClone(),
                ["ours"] = ours,
                ["oursOneBatch"] = oneBatch,
                ["duckdb"] = duck,
                ["handLoop"] = hand,
            });
        }

        Directory.Delete(WarmUpInput(work), recursive: true);

        // The headline fields are the 1 M-key run's, where state size matters; both runs are under "runs".
        var result = runs[^1]!.AsObject().DeepClone().AsObject();
        foreach (var detail in new[] { "ours", "oursOneBatch", "duckdb", "handLoop" })
        {
            result.Remove(detail);
        }

        result["runs"] = runs;
        return result;
    }

    private static string Input(string work, int keys) => Path.Combine(work, $"aggregate-input-{keys}");

    private static string WarmUpInput(string work) => Path.Combine(work, "aggregate-warm-up");

    /// <summary>Ten commits of random keys in [0, keys), one data file each; and the small warm-up table.</summary>
    public static async Task GenerateAsync(string work, bool small, int keys)
    {
        var rows = small ? 1_000_000 : 10_000_000;
        await WriteCommitsAsync(Input(work, keys), keys, Batches, rows / Batches);
        if (!Directory.Exists(WarmUpInput(work)))
        {
            await WriteCommitsAsync(WarmUpInput(work), 1_000, Batches + 1, 1_000); // past a log checkpoint, as the input is
        }
    }

    private static async Task WriteCommitsAsync(string path, int keys, int commits, int perBatch)
    {
        var table = new DeltaTable(new LocalFileObjectStore(path));
        var random = new Random(keys);
        for (var b = 0; b < commits; b++)
        {
            var column = new PrimitiveColumn<long>(perBatch);
            for (var i = 0; i < perBatch; i++)
            {
                column.Values[i] = random.Next(keys);
            }

            var batch = new RecordBatch(ArrowTypes.ToArrowSchema(Schema), [column.Build(Apache.Arrow.Types.Int64Type.Default)], perBatch);
            await table.WriteAsync(Schema, [batch]);
        }
    }

    /// <summary>Our streaming query over the input table, in a child process, taking at most <paramref name="filesPerBatch"/> of its files a batch.</summary>
    public static async Task<JsonObject> OursAsync(string work, int keys, int filesPerBatch)
    {
        var checkpoint = Path.Combine(work, $"aggregate-checkpoint-{keys}");
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(work, "aggregate-warehouse") });
        var warmUpCheckpoint = Path.Combine(work, "aggregate-checkpoint-warm-up");
        await (await StartCountAsync(spark, WarmUpInput(work), filesPerBatch, "warm_up", warmUpCheckpoint)).AwaitTerminationAsync();
        Directory.Delete(warmUpCheckpoint, recursive: true);

        var watch = Stopwatch.StartNew();
        var query = await StartCountAsync(spark, Input(work, keys), filesPerBatch, "counts", checkpoint);
        await query.AwaitTerminationAsync();
        var seconds = watch.Elapsed.TotalSeconds;

        var output = spark.MemoryTable("counts");
        var counted = output.Sum(b => Enumerable.Range(0, b.Length).Sum(i => ((Int64Array)b.Column(1)).GetValue(i)!.Value));
        var progress = query.RecentProgress;
        var result = new JsonObject
        {
            ["seconds"] = seconds,
            ["outputKeys"] = output.Sum(b => b.Length),
            ["countedRows"] = counted,
            ["batches"] = progress.Count,
            ["checkpointBytesPerBatch"] = new JsonArray(progress.Select(p => (JsonNode)CheckpointBytes(checkpoint, p.BatchId)).ToArray()),
            ["stateKeysPerBatch"] = new JsonArray(progress.Select(p => (JsonNode)(p.StateRowsTotal ?? 0)).ToArray()),
            ["durationMs"] = new JsonArray(progress.Select(p => (JsonNode)p.ToJson()["durationMs"]!.DeepClone()).ToArray()),
        };
        Directory.Delete(checkpoint, recursive: true);
        return result;
    }

    private static Task<StreamingQuery> StartCountAsync(StreamingSession spark, string input, int filesPerBatch, string name, string checkpoint) =>
        spark.ReadStream.Format("delta").Option("maxFilesPerTrigger", filesPerBatch).Load(input)
            .GroupBy("key").Count()
            .WriteStream().Format("memory").QueryName(name).OutputMode("complete")
            .Option("checkpointLocation", checkpoint).Trigger(Trigger.AvailableNow).StartAsync();

    /// <summary>What batch <paramref name="batchId"/> wrote to the checkpoint: its offset and commit entries and state files.</summary>
    private static long CheckpointBytes(string checkpoint, long batchId)
    {
        var id = batchId.ToString(CultureInfo.InvariantCulture);
        return Directory.EnumerateFiles(checkpoint, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) == id || Path.GetFileNameWithoutExtension(f) == id)
            .Sum(f => new FileInfo(f).Length);
    }

    public static Task<JsonObject> DuckDbAsync(string work, int keys)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = CountSql(WarmUpInput(work));
        using (var warmUp = command.ExecuteReader())
        {
            warmUp.Read();
        }

        command.CommandText = CountSql(Input(work, keys));
        var watch = Stopwatch.StartNew();
        using var reader = command.ExecuteReader();
        reader.Read();
        var seconds = watch.Elapsed.TotalSeconds;
        return Task.FromResult(new JsonObject { ["seconds"] = seconds, ["outputKeys"] = reader.GetInt64(0), ["countedRows"] = reader.GetInt64(1), ["threads"] = Environment.ProcessorCount });
    }

    private static string CountSql(string input) => $"SELECT count(*), sum(n) FROM (SELECT key, count(*) AS n FROM read_parquet('{input}/*.parquet') GROUP BY key)";

    /// <summary>One thread: each file's key column read with Parquet.Net, counted in a Dictionary.</summary>
    public static async Task<JsonObject> HandLoopAsync(string work, int keys)
    {
        await CountByHandAsync(WarmUpInput(work));
        var watch = Stopwatch.StartNew();
        var counts = await CountByHandAsync(Input(work, keys));
        var seconds = watch.Elapsed.TotalSeconds;
        return new JsonObject { ["seconds"] = seconds, ["outputKeys"] = counts.Count, ["countedRows"] = counts.Values.Sum(), ["threads"] = 1 };
    }

    private static async Task<Dictionary<long, long>> CountByHandAsync(string input)
    {
        var counts = new Dictionary<long, long>();
        foreach (var path in Directory.EnumerateFiles(input, "*.parquet"))
        {
            await using var reader = await Parquet.ParquetReader.CreateAsync(path);
            var field = reader.Schema.DataFields[0];
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var column = new long?[group.RowCount];
                await group.ReadAsync<long>(field, column.AsMemory());
                foreach (var key in column)
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key!.Value, out _)++;
                }
            }
        }

        return counts;
    }
}
