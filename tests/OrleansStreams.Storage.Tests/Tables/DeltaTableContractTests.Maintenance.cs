using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

// Table maintenance: OPTIMIZE, VACUUM, expired log cleanup and auto compaction, on each object store backend.
public abstract partial class DeltaTableContractTests
{
    [Fact]
    public async Task Optimize_packs_each_partitions_small_files_into_one_without_changing_a_rowAsync()
    {
        var store = NewTableStore();
        var (table, rows) = await SmallFilesAsync(store, appends: 6, ["topic"]);
        Assert.Equal(18, (await table.GetSnapshotAsync()).ActiveFiles.Count); // 6 appends × 3 topics

        var metrics = await table.OptimizeAsync();

        Assert.Equal(7, metrics.Version);
        Assert.Equal((18L, 3L, 3), (metrics.NumFilesRemoved, metrics.NumFilesAdded, metrics.PartitionsOptimized));
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(3, snapshot.ActiveFiles.Count);
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(table)));
        await CheckIndependentlyAsync(store, rows, Bronze, ["topic"]);

        // The commit rearranges rows and changes none, so streaming readers skip it.
        var (_, actions) = await table.Log.ReadCommitsAsync(7).FirstAsync();
        Assert.Equal("OPTIMIZE", actions.OfType<CommitInfo>().Single().Operation);
        Assert.All(actions.OfType<AddFile>(), a => Assert.False(a.DataChange));
        Assert.All(actions.OfType<RemoveFile>(), r => Assert.False(r.DataChange));
        Assert.Equal(21, actions.Count(a => a is AddFile or RemoveFile));

        var again = await table.OptimizeAsync();
        Assert.Null(again.Version);
        Assert.Equal(0, again.NumFilesRemoved);
    }

    [Fact]
    public async Task Optimize_writes_a_column_mapped_tables_files_under_physical_namesAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        await table.CreateAsync(Bronze, ["topic"], new Dictionary<string, string> { [ColumnMapping.ModeProperty] = "name" });
        var rows = new List<object?[]>();
        for (var i = 0; i < 3; i++)
        {
            var batch = BronzeRows(i * 10, 10);
            rows.AddRange(Rows(batch));
            await table.WriteAsync(Bronze, [batch]);
        }

        var metrics = await table.OptimizeAsync();

        Assert.Equal((9L, 3L), (metrics.NumFilesRemoved, metrics.NumFilesAdded));
        var snapshot = await table.GetSnapshotAsync();
        var offset = ColumnMapping.For(snapshot).PhysicalName(snapshot.Schema.Get("offset"));
        Assert.NotEqual("offset", offset);
        var file = snapshot.ActiveFiles[0];
        using (var content = new MemoryStream(await store.ReadAllAsync(DeltaPath.FromLogPath(file.Path))))
        {
            Assert.Contains(offset, (await Storage.Parquet.ParquetBatchReader.ReadSchemaAsync(content)).FieldNames);
        }

        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(new DeltaTable(store))));
    }

    [Fact]
    public async Task Optimize_where_compacts_only_the_matching_partitions_and_refuses_other_columnsAsync()
    {
        var (table, rows) = await SmallFilesAsync(NewTableStore(), appends: 3, ["topic"]);

        var metrics = await table.OptimizeAsync(new OptimizeOptions { Where = SqlParser.ParseExpression("topic = 'orders'") });

        Assert.Equal((3L, 1L), (metrics.NumFilesRemoved, metrics.NumFilesAdded));
        var byTopic = (await table.GetSnapshotAsync()).ActiveFiles.GroupBy(f => f.PartitionValues["topic"]).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["orders"] = 1, ["books"] = 3, ["customers"] = 3 }, byTopic);
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(table)));

        var refused = await Assert.ThrowsAsync<AnalysisException>(() => table.OptimizeAsync(new OptimizeOptions { Where = SqlParser.ParseExpression("offset > 3") }));
        Assert.Contains("'offset'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("topic", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_commits_past_a_concurrent_append_but_not_past_a_concurrent_overwriteAsync()
    {
        var store = NewTableStore();
        var (table, rows) = await SmallFilesAsync(store, appends: 3, []);
        var read = await table.GetSnapshotAsync();

        // Another writer appends after OPTIMIZE read the table: a blind append never conflicts with a compaction.
        var appended = BronzeRows(1000, 5);
        await new DeltaTable(store).WriteAsync(Bronze, [appended]);
        var metrics = await TableOptimizer.RunAsync(table, read, new OptimizeOptions(), CancellationToken.None);

        Assert.Equal(read.Version + 2, metrics.Version);
        var all = rows.Concat(Rows(appended)).ToList();
        Assert.Equal(Canonical(all), Canonical(await ReadAllAsync(new DeltaTable(store))));
        await CheckIndependentlyAsync(store, all, Bronze, []);

        // An overwrite removed the files a second compaction would rewrite: that compaction must fail, not resurrect them.
        await new DeltaTable(store).WriteAsync(Bronze, [BronzeRows(2000, 4)]);
        var stale = await new DeltaTable(store).GetSnapshotAsync();
        var replacement = BronzeRows(3000, 4);
        await new DeltaTable(store).WriteAsync(Bronze, [replacement], new DeltaWriteOptions { Mode = DeltaWriteMode.Overwrite });

        await Assert.ThrowsAsync<DeltaConcurrencyException>(() => TableOptimizer.RunAsync(table, stale, new OptimizeOptions(), CancellationToken.None));
        Assert.Equal(Canonical(Rows(replacement)), Canonical(await ReadAllAsync(new DeltaTable(store))));
    }

    [Fact]
    public async Task Vacuum_deletes_only_unreferenced_files_older_than_the_retentionAsync()
    {
        var store = NewTableStore();
        var clock = new ShiftedClock();
        var (table, rows) = await SmallFilesAsync(store, appends: 3, [], clock);
        var beforeOptimize = (await table.GetSnapshotAsync()).Version;
        await table.OptimizeAsync();
        await store.WriteAsync("part-never-committed.snappy.parquet", new byte[] { 1, 2, 3 });
        await store.WriteAsync("_checkpoints/offsets/0", new byte[] { 1 });
        await store.WriteAsync(".hidden/file", new byte[] { 1 });

        // Today every file is younger than the 7-day default: nothing goes, and a shorter retention is refused.
        Assert.Empty((await table.VacuumAsync()).Files);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.Zero }));
        Assert.Contains(VacuumOptions.RetentionCheckSetting, refused.Message, StringComparison.Ordinal);

        // Eight days on: the three compacted files and the never-committed one have expired.
        clock.Offset = TimeSpan.FromDays(8);
        var dryRun = await table.VacuumAsync(new VacuumOptions { DryRun = true });
        Assert.Equal(4, dryRun.Files.Count);
        Assert.Contains("part-never-committed.snappy.parquet", dryRun.Files);
        Assert.NotNull(await store.GetPropertiesAsync("part-never-committed.snappy.parquet"));

        var vacuumed = await table.VacuumAsync();

        Assert.Equal(dryRun.Files.Order(StringComparer.Ordinal), vacuumed.Files.Order(StringComparer.Ordinal));
        Assert.Null(await store.GetPropertiesAsync("part-never-committed.snappy.parquet"));
        Assert.NotNull(await store.GetPropertiesAsync("_checkpoints/offsets/0"));
        Assert.NotNull(await store.GetPropertiesAsync(".hidden/file"));
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(table)));
        await CheckIndependentlyAsync(store, rows, Bronze, []);

        // The version before OPTIMIZE referenced the deleted files: reading it now fails by naming one, as in Delta.
        var gone = await Assert.ThrowsAsync<DeltaLogException>(() => ReadAllAsync(new DeltaTable(store), beforeOptimize));
        Assert.Contains("missing from storage", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vacuum_keeps_a_file_younger_than_the_retention_even_when_unreferencedAsync()
    {
        var store = NewTableStore();
        var (table, _) = await SmallFilesAsync(store, appends: 1, []);
        await store.WriteAsync("part-being-written.snappy.parquet", new byte[] { 1 });

        var result = await table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.FromHours(1), RetentionCheckEnabled = false });

        Assert.Empty(result.Files);
        Assert.NotNull(await store.GetPropertiesAsync("part-being-written.snappy.parquet"));
    }

    [Fact]
    public async Task A_checkpoint_cleans_up_commits_older_than_the_log_retentionAsync()
    {
        var store = NewTableStore();
        var clock = new ShiftedClock();
        var table = await ShortLogRetentionTableAsync(store, clock);
        var rows = new List<object?[]>();
        for (var i = 0; i < 3; i++)
        {
            var batch = BronzeRows(i * 10, 10);
            rows.AddRange(Rows(batch));
            await table.WriteAsync(Bronze, [batch]); // versions 1–3, checkpoint at 2
        }

        clock.Offset = TimeSpan.FromDays(2);
        var last = BronzeRows(100, 10);
        rows.AddRange(Rows(last));
        await table.WriteAsync(Bronze, [last]); // version 4: checkpoint, then cleanup up to the checkpoint at 2

        Assert.Null(await store.GetPropertiesAsync(DeltaLogFiles.CommitKey(0)));
        Assert.Null(await store.GetPropertiesAsync(DeltaLogFiles.CommitKey(1)));
        Assert.NotNull(await store.GetPropertiesAsync(DeltaLogFiles.CommitKey(2)));
        Assert.NotNull(await store.GetPropertiesAsync(DeltaLogFiles.CheckpointKey(2)));
        var fresh = new DeltaTable(store);
        await Assert.ThrowsAsync<DeltaVersionNotFoundException>(() => fresh.GetSnapshotAsync(1));
        Assert.Equal(20, (await ReadAllAsync(fresh, 2)).Count);
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(fresh)));
        await CheckIndependentlyAsync(store, rows, Bronze, []);
    }

    [Fact]
    public async Task Log_cleanup_can_be_turned_off_and_a_bad_property_is_refused_at_creationAsync()
    {
        var store = NewTableStore();
        var clock = new ShiftedClock();
        var table = await ShortLogRetentionTableAsync(store, clock, (TableProperties.EnableExpiredLogCleanup, "false"));
        await table.WriteAsync(Bronze, [BronzeRows(0, 3)]);
        await table.WriteAsync(Bronze, [BronzeRows(3, 3)]);
        clock.Offset = TimeSpan.FromDays(2);
        await table.WriteAsync(Bronze, [BronzeRows(6, 3)]);
        await table.WriteAsync(Bronze, [BronzeRows(9, 3)]);

        Assert.NotNull(await store.GetPropertiesAsync(DeltaLogFiles.CommitKey(0)));

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => new DeltaTable(NewTableStore()).CreateAsync(
            Bronze, configuration: new Dictionary<string, string> { [TableProperties.CheckpointInterval] = "ten" }));
        Assert.Contains(TableProperties.CheckpointInterval, bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_compaction_compacts_the_written_partition_once_it_holds_enough_small_filesAsync()
    {
        var store = NewTableStore();
        var table = new DeltaTable(store);
        await table.CreateAsync(Bronze, ["topic"], new Dictionary<string, string> { [TableProperties.AutoCompact] = "true" });
        var options = new DeltaWriteOptions { AutoCompactMinFiles = 3 };
        var rows = new List<object?[]>();
        for (var i = 0; i < 3; i++)
        {
            // One topic per write, so only the orders partition gathers files.
            var batch = Batch(Bronze, Rows(BronzeRows(i * 30, 30)).Where(r => (string)r[2]! == "orders").ToList());
            rows.AddRange(Rows(batch));
            await table.WriteAsync(Bronze, [batch], options);
            Assert.Equal(i < 2 ? i + 1 : 1, (await table.GetSnapshotAsync()).ActiveFiles.Count);
        }

        var newest = (await table.Log.GetHistoryAsync())[0];
        Assert.Equal("OPTIMIZE", newest.CommitInfo?.Operation);
        Assert.Equal("true", newest.CommitInfo?.OperationParameters["auto"]);
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(table)));
        await CheckIndependentlyAsync(store, rows, Bronze, ["topic"]);
    }

    /// <summary>An empty table that checkpoints every 2 commits and keeps its log for a day, on <paramref name="clock"/>.</summary>
    private static async Task<DeltaTable> ShortLogRetentionTableAsync(IObjectStore store, TimeProvider clock, params (string Key, string Value)[] more)
    {
        var table = new DeltaTable(store, new DeltaLogOptions { Clock = clock });
        var configuration = new Dictionary<string, string>
        {
            [TableProperties.CheckpointInterval] = "2",
            [TableProperties.LogRetentionDuration] = "interval 1 day",
        };
        foreach (var (key, value) in more)
        {
            configuration[key] = value;
        }

        await table.CreateAsync(Bronze, configuration: configuration);
        return table;
    }

    /// <summary>A table written by <paramref name="appends"/> small appends of 10 bronze rows each, and all its rows.</summary>
    private static async Task<(DeltaTable Table, List<object?[]> Rows)> SmallFilesAsync(IObjectStore store, int appends, IReadOnlyList<string> partitionBy, TimeProvider? clock = null)
    {
        var table = new DeltaTable(store, new DeltaLogOptions { Clock = clock ?? TimeProvider.System });
        var rows = new List<object?[]>();
        for (var i = 0; i < appends; i++)
        {
            var batch = BronzeRows(i * 10, 10);
            rows.AddRange(Rows(batch));
            await table.WriteAsync(Bronze, [batch], new DeltaWriteOptions { PartitionBy = partitionBy });
        }

        return (table, rows);
    }
}
