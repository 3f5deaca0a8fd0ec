using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

public class DeltaCommitTests
{
    [Fact]
    public async Task Created_table_has_protocol_1_2_metadata_and_version_0Async()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store, ["topic"]);

        var snapshot = await new DeltaLog(store).GetSnapshotAsync();

        Assert.Equal(0, snapshot.Version);
        Assert.Equal(new ProtocolAction(1, 2), snapshot.Protocol);
        Assert.Equal(["topic"], snapshot.PartitionColumns);
        Assert.Equal(DeltaTestTables.Schema, snapshot.Metadata.SchemaString);
        Assert.Equal("CREATE TABLE", (await log.GetHistoryAsync())[0].CommitInfo?.Operation);
    }

    [Fact]
    public async Task Creating_a_table_twice_is_refusedAsync()
    {
        var store = new InMemoryObjectStore("memory://warehouse/books");
        await DeltaTestTables.CreateAsync(store);

        var error = await Assert.ThrowsAsync<DeltaTableExistsException>(() => DeltaTestTables.CreateAsync(store));

        Assert.Contains("memory://warehouse/books already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_an_empty_folder_says_it_is_not_a_delta_tableAsync()
    {
        var error = await Assert.ThrowsAsync<DeltaLogException>(() => new DeltaLog(new InMemoryObjectStore("memory://empty")).GetSnapshotAsync());

        Assert.Contains("memory://empty is not a Delta table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appends_and_overwrite_replay_to_the_right_files_and_update_the_cached_snapshotAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);

        Assert.Equal(1, await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")], await log.GetSnapshotAsync())));
        Assert.Equal(2, await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("b.parquet")])));
        var beforeOverwrite = await log.GetSnapshotAsync();
        Assert.Equal(3, await log.CommitAsync(DeltaTransaction.Overwrite(beforeOverwrite, [DeltaTestTables.File("c.parquet")])));

        var cached = await log.GetSnapshotAsync();
        var fresh = await new DeltaLog(store).GetSnapshotAsync();
        Assert.Equal(["c.parquet"], cached.ActiveFiles.Select(f => f.Path));
        Assert.Equal(["c.parquet"], fresh.ActiveFiles.Select(f => f.Path));
        Assert.Equal(["a.parquet", "b.parquet"], (await log.GetSnapshotAsync(2)).ActiveFiles.Select(f => f.Path).Order());
        var overwrite = (await log.GetHistoryAsync())[0].CommitInfo!;
        Assert.Equal("Overwrite", overwrite.OperationParameters["mode"]);
        Assert.Equal(2, overwrite.ReadVersion);
        Assert.False(overwrite.IsBlindAppend);
    }

    [Fact]
    public async Task A_known_snapshot_is_updated_by_reading_only_the_new_commitsAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        var reader = new DeltaLog(store);
        await reader.GetSnapshotAsync();
        for (var i = 0; i < 5; i++)
        {
            await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File($"f{i}.parquet")]));
        }

        store.Reads.Clear();
        var snapshot = await reader.GetSnapshotAsync();

        Assert.Equal(5, snapshot.Version);
        Assert.Equal(5, snapshot.ActiveFiles.Count);
        Assert.DoesNotContain(DeltaLogFiles.CommitKey(0), store.Reads);
        Assert.Equal(Enumerable.Range(1, 6).Select(v => DeltaLogFiles.CommitKey(v)), store.Reads.Where(k => k.EndsWith(".json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Eight_concurrent_writers_appending_ten_commits_each_all_land_onceAsync()
    {
        var store = new InMemoryObjectStore();
        var created = await DeltaTestTables.CreateAsync(store, checkpointInterval: 1000);

        // Every writer's first commit is built on version 0, so seven of them must lose the race for version 1.
        var versionZero = await created.GetSnapshotAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var log = new DeltaLog(store);
            var read = versionZero;
            for (var i = 0; i < 10; i++)
            {
                await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File($"w{writer}-{i}.parquet")], read));
                read = await log.GetSnapshotAsync();
            }
        })));

        var snapshot = await new DeltaLog(store).GetSnapshotAsync();
        Assert.Equal(80, snapshot.Version);
        Assert.Equal(80, snapshot.ActiveFiles.Count);
        Assert.Equal(80, snapshot.ActiveFiles.Select(f => f.Path).Distinct().Count());
        var versions = store.Keys.Select(DeltaLogFiles.ParseCommitVersion).OfType<long>().Order().ToList();
        Assert.Equal(Enumerable.Range(0, 81).Select(v => (long)v), versions);
        var adds = 0;
        await foreach (var (_, actions) in new DeltaLog(store).ReadCommitsAsync(1))
        {
            adds += actions.OfType<AddFile>().Count();
        }

        Assert.Equal(80, adds);
        Assert.True(store.PutIfAbsentConflicts >= 7, $"only {store.PutIfAbsentConflicts} lost races");
    }

    [Fact]
    public async Task Overwrite_that_lost_the_race_to_an_append_raises_a_concurrency_errorAsync()
    {
        var store = new InMemoryObjectStore("memory://t");
        var log = await DeltaTestTables.CreateAsync(store);
        await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")]));
        var read = await log.GetSnapshotAsync();
        await new DeltaLog(store).CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("b.parquet")], read));

        var error = await Assert.ThrowsAsync<DeltaConcurrencyException>(() => log.CommitAsync(DeltaTransaction.Overwrite(read, [DeltaTestTables.File("c.parquet")])));

        Assert.Contains("memory://t", error.Message, StringComparison.Ordinal);
        Assert.Contains("read at version 1 conflicts with concurrent commit 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("removes files", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await log.GetLatestVersionAsync());
    }

    [Fact]
    public async Task Append_that_lost_the_race_to_another_append_retries_at_the_next_versionAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        var read = await log.GetSnapshotAsync();
        await new DeltaLog(store).CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")], read));
        await new DeltaLog(store).CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("b.parquet")], read));

        Assert.Equal(3, await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("c.parquet")], read)));
        Assert.Equal(3, (await log.GetSnapshotAsync()).ActiveFiles.Count);
    }

    [Fact]
    public async Task Two_commits_of_the_same_streaming_query_conflict_on_its_app_idAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        var read = await log.GetSnapshotAsync();
        await new DeltaLog(store).CommitAsync(DeltaTransaction.StreamingUpdate(read, [DeltaTestTables.File("a.parquet")], "Append", "query-1", 0));

        var error = await Assert.ThrowsAsync<DeltaConcurrencyException>(() =>
            log.CommitAsync(DeltaTransaction.StreamingUpdate(read, [DeltaTestTables.File("b.parquet")], "Append", "query-1", 0)));
        Assert.Contains("same application id 'query-1'", error.Message, StringComparison.Ordinal);

        // Another query's batch is an independent append.
        Assert.Equal(2, await log.CommitAsync(DeltaTransaction.StreamingUpdate(read, [DeltaTestTables.File("c.parquet")], "Append", "query-2", 0)));
        var latest = await log.GetSnapshotAsync();
        Assert.Equal(0, latest.GetTransactionVersion("query-1"));
        Assert.Equal(0, latest.GetTransactionVersion("query-2"));
        Assert.Null(latest.GetTransactionVersion("query-3"));
    }

    [Fact]
    public async Task A_concurrent_metadata_change_conflicts_even_with_a_blind_appendAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        var read = await log.GetSnapshotAsync();
        var changed = read.Metadata with { Configuration = new Dictionary<string, string> { ["delta.appendOnly"] = "false" } };
        await new DeltaLog(store).CommitAsync(new DeltaTransaction(read, "SET TBLPROPERTIES").UpdateMetadata(changed));

        var error = await Assert.ThrowsAsync<DeltaConcurrencyException>(() => log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")], read)));

        Assert.Contains("changed the table metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_output_mode_replaces_the_table_contentAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        await log.CommitAsync(DeltaTransaction.StreamingUpdate(await log.GetSnapshotAsync(), [DeltaTestTables.File("batch0.parquet")], "Complete", "q", 0));
        await log.CommitAsync(DeltaTransaction.StreamingUpdate(await log.GetSnapshotAsync(), [DeltaTestTables.File("batch1.parquet")], "Complete", "q", 1));

        var snapshot = await new DeltaLog(store).GetSnapshotAsync();

        Assert.Equal(["batch1.parquet"], snapshot.ActiveFiles.Select(f => f.Path));
        Assert.Equal(1, snapshot.GetTransactionVersion("q"));
        Assert.Equal("STREAMING UPDATE", (await log.GetHistoryAsync())[0].CommitInfo?.Operation);
    }

    [Fact]
    public async Task Read_commits_streams_from_a_version_to_the_endAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")]));
        await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("b.parquet")]));

        var seen = new List<(long, string)>();
        await foreach (var (version, actions) in log.ReadCommitsAsync(1))
        {
            seen.AddRange(actions.OfType<AddFile>().Select(a => (version, a.Path)));
        }

        Assert.Equal([(1L, "a.parquet"), (2L, "b.parquet")], seen);
    }
}
