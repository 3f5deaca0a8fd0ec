using OrleansStreams.Client;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Crashes at random points of 24 batches — before or after any write to the checkpoint, the data
/// files or the Delta log — each followed by a restart from storage alone. The table must end with
/// every input row exactly once, and the aggregates must be exact.
/// </summary>
public sealed class ExactlyOnceTests : IDisposable
{
    private const int Files = 24;
    private const int RowsPerFile = 20;

    private readonly TempDirectory temp = new("exactly-once");

    public void Dispose() => temp.Dispose();

    private void WriteInput()
    {
        for (var i = 0; i < Files; i++)
        {
            KafkaRawFiles.Write(temp.Combine("kafka-raw"), i, RowsPerFile);
        }
    }

    /// <summary>A fresh "process": new objects over the same folders, with chaos on every write.</summary>
    private async Task<MicroBatchRunner> NewRunAsync(Chaos chaos, Func<StreamingSession, LogicalPlan> plan, OutputMode mode)
    {
        var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var checkpoint = new FlakyObjectStore(new LocalFileObjectStore(temp.Combine("checkpoint")), chaos);
        var input = new LocalFileObjectStore(temp.Combine("kafka-raw"));
        var discovery = new FileDiscovery(new DiscoverySpec { Folder = input.Root, CheckpointFolder = "sources/0" }, input, new ScopedObjectStore(checkpoint, "sources/0"));
        var source = new FileStreamSource(
            discovery, new LocalFileSplitReader(input), input.Root, DdlParser.ParseSchema(KafkaRawFiles.Schema),
            CloudFilesOptions.Parse(new Dictionary<string, string> { ["cloudFiles.format"] = "json" }));
        var execution = await IncrementalExecution.CreateAsync(plan(spark), [source.Schema], new OnDemandRelations(NoTables.Instance), new QueryContext(NoTables.Instance));
        var sink = new DeltaSink(new DeltaTable(new FlakyObjectStore(new LocalFileObjectStore(temp.Combine("table")), chaos)), ["topic"], false, "target");
        return new MicroBatchRunner(checkpoint, new StreamSourceSet([source], [new ReadLimit(1, null)]), sink, execution, mode, "chaos");
    }

    /// <summary>Runs batches until none is left, restarting after every simulated crash.</summary>
    private static async Task<int> RunThroughCrashesAsync(Func<Task<MicroBatchRunner>> newRun)
    {
        var restarts = 0;
        while (true)
        {
            var runner = await newRun();
            try
            {
                await runner.StartAsync(CancellationToken.None);
                while (await runner.RunNextAsync(null, unlimited: false, CancellationToken.None))
                {
                }

                runner.Release();
                return restarts;
            }
            catch (SimulatedCrashException)
            {
                runner.Release(); // the process is gone; its claim on the checkpoint with it
                restarts++;
            }
        }
    }

    private async Task<List<object?[]>> TableRowsAsync(string sql)
    {
        var relations = new DeltaRelations(new Storage.Delta.DeltaCatalog(new LocalFileObjectStore(temp.Path)), new ObjectStoreFactory(new StorageOptions()));
        var plan = new QuerySession(NoTables.Instance).Sql(sql.Replace("{table}", $"delta.`{temp.Combine("table")}`", StringComparison.Ordinal))!.Plan;
        var session = new QuerySession(await relations.LoadAsync(plan, CancellationToken.None));
        return (await session.CollectAsync(new Engine.DataFrames.DataFrame(plan, session)))
            .SelectMany(b => Enumerable.Range(0, b.Length).Select(r => Enumerable.Range(0, b.ColumnCount).Select(c => Engine.Expressions.Evaluation.Columns.GetScalar(b.Column(c), r)).ToArray()))
            .ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Appends_land_exactly_once_through_random_crashesAsync(int seed)
    {
        WriteInput();
        var chaos = new Chaos(seed, probability: 0.08);

        var restarts = await RunThroughCrashesAsync(() => NewRunAsync(chaos, s => s.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json")
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw")).WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp")).Plan, OutputMode.Append));

        var rows = await TableRowsAsync("SELECT count(*), count(DISTINCT offset), min(offset), max(offset) FROM {table}");
        Assert.True(restarts >= 3, $"only {restarts} crashes: the test did not exercise recovery");
        Assert.Equal([(long)(Files * RowsPerFile), (long)(Files * RowsPerFile), 0L, (long)(Files * RowsPerFile) - 1], rows.Single());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Complete_mode_aggregates_are_exact_through_random_crashesAsync(int seed)
    {
        WriteInput();
        var chaos = new Chaos(seed, probability: 0.08);

        var restarts = await RunThroughCrashesAsync(() => NewRunAsync(chaos, s => s.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json")
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw")).GroupBy("topic").Agg(Count(Col("offset")).Alias("n"), Sum(Col("offset")).Alias("total")).Plan, OutputMode.Complete));

        var rows = await TableRowsAsync("SELECT topic, n, total FROM {table} ORDER BY topic");
        var offsets = Enumerable.Range(0, Files * RowsPerFile).Select(i => (long)i).ToList();
        var expected = new[] { "books", "customers", "orders" }
            .Select(t => new object?[] { t, (long)offsets.Count(o => Topic(o) == t), offsets.Where(o => Topic(o) == t).Sum() }).ToList();
        Assert.True(restarts >= 2, $"only {restarts} crashes: the test did not exercise recovery");
        Assert.Equal(expected, rows);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public async Task A_runner_retrying_failed_batches_in_place_keeps_aggregates_exactAsync(int seed)
    {
        WriteInput();
        var chaos = new Chaos(seed, probability: 0.08);
        var runner = await NewRunAsync(chaos, s => s.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json")
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw")).GroupBy("topic").Agg(Count(Col("offset")).Alias("n"), Sum(Col("offset")).Alias("total")).Plan, OutputMode.Complete);
        chaos.Enabled = false;
        await runner.StartAsync(CancellationToken.None);
        chaos.Enabled = true;

        // No restart: the same runner retries after each failure, as a query grain does after a transient error.
        var failures = 0;
        while (true)
        {
            try
            {
                if (!await runner.RunNextAsync(null, unlimited: false, CancellationToken.None))
                {
                    break;
                }
            }
            catch (SimulatedCrashException)
            {
                failures++;
            }
        }

        runner.Release();
        var rows = await TableRowsAsync("SELECT topic, n, total FROM {table} ORDER BY topic");
        var offsets = Enumerable.Range(0, Files * RowsPerFile).Select(i => (long)i).ToList();
        var expected = new[] { "books", "customers", "orders" }
            .Select(t => new object?[] { t, (long)offsets.Count(o => Topic(o) == t), offsets.Where(o => Topic(o) == t).Sum() }).ToList();
        Assert.True(failures >= 2, $"only {failures} failures");
        Assert.Equal(expected, rows);
    }

    private static string Topic(long offset) => (offset % 3) switch { 0 => "orders", 1 => "books", _ => "customers" };
}
