using Orleans.TestingHost;
using OrleansStreams.Client;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A streaming query run by its grain in a 3-silo in-process cluster; the silo hosting the grain is
/// killed six times while it works through 72 one-file batches. The next call reactivates the
/// grain elsewhere, it resumes from its checkpoint, and the table ends with every row exactly once.
/// </summary>
public sealed class QueryGrainFailoverTests : IAsyncLifetime
{
    private const int Files = 72;
    private const int RowsPerFile = 20;

    private readonly TempDirectory temp = new("failover");
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await StreamingTestCluster.StartAsync(3, temp.Combine("state"));

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Aggregation_state_in_partition_grains_stays_exact_when_silos_dieAsync()
    {
        var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var plan = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", "1")
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw"))
            .GroupBy("topic").Agg(Count(Col("offset")).Alias("n"), Sum(Col("offset")).Alias("total")).Plan;
        var definition = Definition() with { PlanJson = PlanJson.Serialize(plan), OutputMode = OutputMode.Complete, Sink = temp.Combine("counts"), PartitionBy = [] };
        var grain = cluster.Client.GetGrain<IStreamingQueryGrain>(definition.CheckpointLocation);
        await grain.StartAsync(definition);

        var files = 0;
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 12; i++, files++)
            {
                KafkaRawFiles.Write(temp.Combine("kafka-raw"), files, RowsPerFile);
            }

            var before = CommittedBatches();
            var status = await WaitAsync(grain, () => Task.FromResult(CommittedBatches() > before));
            var victim = cluster.Silos.FirstOrDefault(s => s.SiloAddress.ToString() == status.Silo) ?? cluster.Silos[^1];
            await cluster.KillSiloAsync(victim);
            await cluster.StartAdditionalSiloAsync();
            await cluster.WaitForLivenessToStabilizeAsync();
        }

        await WaitAsync(grain, () => Task.FromResult(CommittedBatches() >= files));
        await grain.StopAsync();

        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("counts")));
        var totals = new Dictionary<string, (long N, long Total)>();
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(), ["topic", "n", "total"]))
        {
            for (var r = 0; r < batch.Length; r++)
            {
                totals[((Apache.Arrow.StringArray)batch.Column(0)).GetString(r)] = (((Apache.Arrow.Int64Array)batch.Column(1)).GetValue(r)!.Value, ((Apache.Arrow.Int64Array)batch.Column(2)).GetValue(r)!.Value);
            }
        }

        var offsets = Enumerable.Range(0, files * RowsPerFile).Select(i => (long)i).ToList();
        foreach (var topic in new[] { "orders", "books", "customers" })
        {
            var mine = offsets.Where(o => (o % 3) == topic switch { "orders" => 0, "books" => 1, _ => 2 }).ToList();
            Assert.Equal((mine.Count, mine.Sum()), totals[topic]);
        }

        var statistics = await cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.Contains(statistics, s => s.GrainType.Contains(nameof(AggregationPartitionGrain), StringComparison.Ordinal) && s.ActivationCount > 0);
    }

    [Fact]
    public async Task A_batch_s_files_are_decoded_by_scan_workers_on_several_silosAsync()
    {
        for (var i = 0; i < 40; i++)
        {
            KafkaRawFiles.Write(temp.Combine("kafka-raw"), i, 5);
        }

        var definition = Definition(maxFilesPerTrigger: 40) with { Trigger = Runtime.Streaming.Trigger.AvailableNow };
        var grain = cluster.Client.GetGrain<IStreamingQueryGrain>(definition.CheckpointLocation);
        await grain.StartAsync(definition);
        var status = await WaitAsync(grain, () => Task.FromResult(CommittedBatches() >= 1));

        var statistics = await cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetSimpleGrainStatistics();
        var silosWithWorkers = statistics.Where(s => s.GrainType.Contains(nameof(ScanWorkerGrain), StringComparison.Ordinal) && s.ActivationCount > 0)
            .Select(s => s.SiloAddress).Distinct().Count();
        Assert.True(silosWithWorkers >= 2, $"scan workers ran on {silosWithWorkers} silo(s)");
        Assert.Null(status.Error);
    }

    [Fact]
    public async Task A_connected_session_s_query_outlives_it_and_another_session_reattachesAsync()
    {
        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 0, 5);
        var options = new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), PollInterval = TimeSpan.FromMilliseconds(50) };
        var checkpoint = temp.Combine("checkpoints", "connected");
        await using (var first = StreamingSession.Connect(cluster.Client, options))
        {
            var query = await first.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw"))
                .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Runtime.Streaming.Trigger.ProcessingTime("100 milliseconds")).ToTableAsync("connected");
            Assert.IsType<ClusterStreamingQuery>(query);
        }

        KafkaRawFiles.Write(temp.Combine("kafka-raw"), 1, 5); // arrives after the first client left
        await using var second = StreamingSession.Connect(cluster.Client, options);
        var attached = await second.AttachAsync(checkpoint);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountAsync(second) != "10")
        {
            Assert.True(DateTime.UtcNow < deadline, "the query did not keep running after its client left");
            await Task.Delay(50);
        }

        Assert.True(attached.IsActive);
        await attached.StopAsync();
        Assert.False(attached.IsActive);
    }

    /// <summary>Rows in the connected query's table, or "none" before its first batch created it.</summary>
    private static async Task<string> CountAsync(StreamingSession session)
    {
        try
        {
            return RowJson.Render(await session.CollectAsync(session.Sql("SELECT count(*) AS n FROM connected")!))[0]["n"]!.ToString();
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return "none";
        }
    }

    private QueryDefinition Definition(int maxFilesPerTrigger = 1)
    {
        var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var plan = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", maxFilesPerTrigger.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("kafka-raw"))
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .Plan;
        return new QueryDefinition
        {
            PlanJson = PlanJson.Serialize(plan),
            OutputMode = OutputMode.Append,
            Trigger = Runtime.Streaming.Trigger.Default,
            Sink = temp.Combine("bronze"),
            SinkIsTable = false,
            PartitionBy = ["topic"],
            CheckpointLocation = temp.Combine("checkpoint"),
            Warehouse = temp.Combine("warehouse"),
            QueryName = "bronze",
        };
    }

    [Fact]
    public async Task Killing_the_silo_of_the_query_grain_loses_and_duplicates_nothingAsync()
    {
        var definition = Definition();
        var grain = cluster.Client.GetGrain<IStreamingQueryGrain>(definition.CheckpointLocation);
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("bronze")));
        await grain.StartAsync(definition);

        // Six rounds: files arrive, the query starts on them, and the silo running it is killed mid-way.
        var killedMidway = 0;
        for (var round = 0; round < 6; round++)
        {
            for (var i = 0; i < Files / 6; i++)
            {
                KafkaRawFiles.Write(temp.Combine("kafka-raw"), (round * (Files / 6)) + i, RowsPerFile);
            }

            var before = CommittedBatches();
            var status = await WaitAsync(grain, () => Task.FromResult(CommittedBatches() > before));
            var host = cluster.Silos.FirstOrDefault(s => s.SiloAddress.ToString() == status.Silo);
            Assert.NotNull(host);
            await cluster.KillSiloAsync(host);
            killedMidway += CommittedBatches() < (round + 1) * (Files / 6) ? 1 : 0; // one file per batch
            await cluster.StartAdditionalSiloAsync();
            await cluster.WaitForLivenessToStabilizeAsync();
        }

        // Keep calling: the first call after a kill activates the grain on a live silo, which resumes the query.
        await WaitAsync(grain, async () => await CountAsync(table) >= Files * RowsPerFile);
        await grain.StopAsync();

        var offsets = await OffsetsAsync(table);
        Assert.True(killedMidway >= 3, $"only {killedMidway} of 6 kills hit a query with files still to process");
        Assert.Equal(Enumerable.Range(0, Files * RowsPerFile).Select(i => (long)i), offsets.Order());
    }

    /// <summary>Batches in the checkpoint's commit log (cheap to poll).</summary>
    private int CommittedBatches() =>
        Directory.Exists(temp.Combine("checkpoint", "commits")) ? Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length : 0;

    private async Task<QueryStatus> WaitAsync(IStreamingQueryGrain grain, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await grain.GetStatusAsync();
            Assert.True(status.Error is null, status.Error);
            if (await condition())
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no progress: {status}, {CommittedBatches()} batches committed, silos {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress))}");
            await Task.Delay(10);
        }
    }

    private static async Task<long> CountAsync(DeltaTable table)
    {
        if (!await table.ExistsAsync())
        {
            return 0;
        }

        long count = 0;
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(), ["offset"]))
        {
            count += batch.Length;
        }

        return count;
    }

    private static async Task<List<long>> OffsetsAsync(DeltaTable table)
    {
        var offsets = new List<long>();
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(), ["offset"]))
        {
            var column = (Apache.Arrow.Int64Array)batch.Column(0);
            for (var i = 0; i < column.Length; i++)
            {
                offsets.Add(column.GetValue(i)!.Value);
            }
        }

        return offsets;
    }
}
