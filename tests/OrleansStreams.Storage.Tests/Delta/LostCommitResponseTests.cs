using OrleansStreams.Storage.Delta;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>
/// A commit whose write landed but whose response was lost: the storage client's retry of the put-if-absent meets
/// the commit it just wrote. The log recognises it by the transaction's txnId and reports a success, once.
/// </summary>
public class LostCommitResponseTests
{
    private static LostResponseObjectStore LosingCommitResponses(InMemoryObjectStore store) =>
        new(store, key => key.StartsWith("_delta_log/", StringComparison.Ordinal) && key.EndsWith(".json", StringComparison.Ordinal));

    [Fact]
    public async Task A_blind_append_whose_response_was_lost_is_committed_onceAsync()
    {
        var store = new InMemoryObjectStore();
        await DeltaTestTables.CreateAsync(store);
        var lossy = LosingCommitResponses(store);
        var log = new DeltaLog(lossy);

        var version = await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")], await log.GetSnapshotAsync()));

        Assert.Equal(1, version);
        Assert.Equal(1, lossy.LostResponses);
        Assert.Equal(1, await new DeltaLog(store).GetLatestVersionAsync());
        Assert.Equal(["a.parquet"], (await new DeltaLog(store).GetSnapshotAsync()).ActiveFiles.Select(f => f.Path));
        Assert.Equal(["a.parquet"], (await log.GetSnapshotAsync()).ActiveFiles.Select(f => f.Path));
    }

    [Fact]
    public async Task A_streaming_batch_whose_response_was_lost_is_not_its_own_conflictAsync()
    {
        var store = new InMemoryObjectStore();
        await DeltaTestTables.CreateAsync(store);
        var lossy = LosingCommitResponses(store);
        var log = new DeltaLog(lossy);
        var read = await log.GetSnapshotAsync();

        var version = await log.CommitAsync(DeltaTransaction.StreamingUpdate(read, [DeltaTestTables.File("a.parquet")], "Append", "query-1", 0));

        Assert.Equal(1, version);
        var fresh = await new DeltaLog(store).GetSnapshotAsync();
        Assert.Equal(1, fresh.Version);
        Assert.Equal(0, fresh.GetTransactionVersion("query-1"));
        Assert.Equal(["a.parquet"], fresh.ActiveFiles.Select(f => f.Path));
    }

    [Fact]
    public async Task A_commit_that_lost_a_real_race_still_retries_at_the_next_versionAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        var read = await log.GetSnapshotAsync();
        await new DeltaLog(store).CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("other.parquet")], read));

        var version = await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("mine.parquet")], read));

        Assert.Equal(2, version);
        Assert.Equal(["mine.parquet", "other.parquet"], (await new DeltaLog(store).GetSnapshotAsync()).ActiveFiles.Select(f => f.Path).Order());
    }

    [Fact]
    public async Task Creating_a_table_whose_response_was_lost_succeedsAsync()
    {
        var store = new InMemoryObjectStore();
        var lossy = LosingCommitResponses(store);

        var snapshot = await new DeltaLog(lossy).CreateTableAsync(MetadataAction.Create(DeltaTestTables.Schema, null, new Dictionary<string, string>()));

        Assert.Equal(0, snapshot.Version);
        Assert.Equal(1, lossy.LostResponses);
    }

    [Fact]
    public async Task Every_commit_records_a_distinct_txn_idAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store);
        await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("a.parquet")]));

        var ids = (await new DeltaLog(store).GetHistoryAsync()).Select(h => h.CommitInfo?.TxnId).ToList();

        Assert.Equal(2, ids.Count);
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _)));
        Assert.NotEqual(ids[0], ids[1]);
    }
}
