using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

public class DeltaCheckpointTests
{
    [Fact]
    public async Task Checkpoints_every_ten_commits_give_the_same_snapshot_as_full_replayAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store, ["topic"]);
        for (var i = 1; i <= 25; i++)
        {
            var snapshot = await log.GetSnapshotAsync();
            var file = DeltaTestTables.File($"topic=t{i % 3}/f{i}.parquet", new Dictionary<string, string?> { ["topic"] = i % 5 == 0 ? null : $"t{i % 3}" });
            var tx = i % 7 == 0
                ? new DeltaTransaction(snapshot, "DELETE").RemoveFile(snapshot.ActiveFiles[0].ToRemove(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).AddFile(file)
                : DeltaTransaction.Append([file], snapshot).SetTransaction("query", i);
            await log.CommitAsync(tx);
        }

        Assert.Equal([10L, 20L], store.Keys.Select(DeltaLogFiles.ParseCheckpoint).OfType<(long Version, int Parts)>().Select(c => c.Version));
        Assert.Contains("\"version\":20", System.Text.Encoding.UTF8.GetString(await store.ReadAllAsync(DeltaLogFiles.LastCheckpointKey)), StringComparison.Ordinal);

        var fromCheckpoint = await new DeltaLog(store).GetSnapshotAsync();
        var fullReplay = await new DeltaLog(WithoutCheckpoints(store)).GetSnapshotAsync();
        AssertSameState(fullReplay, fromCheckpoint);
        Assert.Equal(25, fromCheckpoint.Version);
        Assert.Equal(25, fromCheckpoint.GetTransactionVersion("query"));

        foreach (var version in new long[] { 10, 15, 20 })
        {
            AssertSameState(await new DeltaLog(WithoutCheckpoints(store)).GetSnapshotAsync(version), await new DeltaLog(store).GetSnapshotAsync(version));
        }
    }

    [Fact]
    public async Task A_checkpoint_keeps_null_partition_values_tags_stats_and_metadataAsync()
    {
        var store = new InMemoryObjectStore();
        var log = await DeltaTestTables.CreateAsync(store, ["topic"], checkpointInterval: 2);
        var file = new AddFile("topic=__HIVE_DEFAULT_PARTITION__/a.parquet", new Dictionary<string, string?> { ["topic"] = null }, 42, 7, true, """{"numRecords":3}""", new Dictionary<string, string> { ["tag"] = "v" });
        await log.CommitAsync(DeltaTransaction.Append([file]));
        await log.CommitAsync(DeltaTransaction.Append([DeltaTestTables.File("topic=x/b.parquet", new Dictionary<string, string?> { ["topic"] = "x" })]));

        var store2 = WithoutCommitsBefore(store, 2);
        var snapshot = await new DeltaLog(store2).GetSnapshotAsync();

        Assert.Contains(DeltaLogFiles.CheckpointKey(2), store2.Reads);
        var read = snapshot.ActiveFiles.Single(f => f.Path == file.Path);
        Assert.Null(read.PartitionValues["topic"]);
        Assert.Equal(file.Stats, read.Stats);
        Assert.Equal("v", read.Tags!["tag"]);
        Assert.Equal((42L, 7L), (read.Size, read.ModificationTime));
        Assert.Equal("2", snapshot.Metadata.Configuration[TableProperties.CheckpointInterval]);
        Assert.Equal(["topic"], snapshot.PartitionColumns);
    }

    private static void AssertSameState(DeltaSnapshot expected, DeltaSnapshot actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Protocol, actual.Protocol);
        Assert.Equal(expected.Metadata.Id, actual.Metadata.Id);
        Assert.Equal(expected.Metadata.SchemaString, actual.Metadata.SchemaString);
        Assert.Equal(expected.PartitionColumns, actual.PartitionColumns);
        Assert.Equal(expected.GetTransactionVersion("query"), actual.GetTransactionVersion("query"));
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Equal(expected.Timestamp, actual.Timestamp);
    }

    private static List<string> Describe(DeltaSnapshot snapshot) =>
        [.. snapshot.ActiveFiles
            .Select(f => $"{f.Path}|{f.Size}|{f.Stats}|{string.Join(",", f.PartitionValues.Select(p => $"{p.Key}={p.Value ?? "<null>"}"))}")
            .Order(StringComparer.Ordinal)];

    private static InMemoryObjectStore WithoutCheckpoints(InMemoryObjectStore store) =>
        Copy(store, key => DeltaLogFiles.ParseCheckpoint(key) is null && key != DeltaLogFiles.LastCheckpointKey);

    private static InMemoryObjectStore WithoutCommitsBefore(InMemoryObjectStore store, long version) =>
        Copy(store, key => DeltaLogFiles.ParseCommitVersion(key) is not { } v || v >= version);

    private static InMemoryObjectStore Copy(InMemoryObjectStore store, Func<string, bool> keep)
    {
        var copy = new InMemoryObjectStore();
        foreach (var key in store.Keys.Where(keep))
        {
            copy.WriteAsync(key, store.ReadAllAsync(key).GetAwaiter().GetResult()).GetAwaiter().GetResult();
        }

        copy.Reads.Clear();
        return copy;
    }
}
