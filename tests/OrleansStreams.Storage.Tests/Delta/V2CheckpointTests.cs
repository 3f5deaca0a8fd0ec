using System.Text;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>V2-spec checkpoints (UUID-named, JSON or Parquet, with sidecars), multi-part checkpoints, and our V2-spec checkpoints of v2Checkpoint tables.</summary>
public sealed class V2CheckpointTests : IDisposable
{
    private readonly TempDirectory temp = new("delta-v2-checkpoint");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("v2-checkpoint-json", true)]
    [InlineData("v2-checkpoint-json", false)]
    [InlineData("v2-checkpoint-parquet", true)]
    [InlineData("v2-checkpoint-parquet", false)]
    public async Task A_UUID_named_checkpoint_and_its_sidecars_stand_in_for_the_commits_before_itAsync(string name, bool keepHint)
    {
        // With the commits gone, only the checkpoint (found by the hint's v2Checkpoint path, or by listing) holds the table.
        var folder = temp.Combine($"{name}-{keepHint}");
        TestData.CopyDeltaTable(name, folder);
        DeleteCommits(folder, 0, 2);
        if (!keepHint)
        {
            File.Delete(Path.Combine(folder, DeltaLogFiles.LastCheckpointKey));
        }

        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var snapshot = await table.GetSnapshotAsync();

        Assert.Equal(2, snapshot.Version);
        Assert.Contains(TableFeatures.V2Checkpoint, snapshot.Protocol.ReaderFeatures!);
        Assert.Equal(4, snapshot.ActiveFiles.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), (await ReadAllAsync(table)).Select(r => (long)r[0]!).Order());
    }

    [Fact]
    public async Task A_missing_sidecar_is_an_error_naming_itAsync()
    {
        var folder = temp.Combine("missing-sidecar");
        TestData.CopyDeltaTable("v2-checkpoint-parquet", folder);
        DeleteCommits(folder, 0, 2);
        var sidecar = Directory.GetFiles(Path.Combine(folder, DeltaLogFiles.SidecarFolder)).Order(StringComparer.Ordinal).First();
        File.Delete(sidecar);

        var e = await Assert.ThrowsAsync<DeltaLogException>(() => new DeltaLog(new LocalFileObjectStore(folder)).GetSnapshotAsync());

        Assert.Contains(Path.GetFileName(sidecar), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_parts_of_a_multi_part_checkpoint_stand_in_for_the_commits_before_itAsync()
    {
        var folder = temp.Combine("multi-part");
        TestData.CopyDeltaTable("multi-part-checkpoint", folder);
        DeleteCommits(folder, 0, 1);

        var table = new DeltaTable(new LocalFileObjectStore(folder));

        Assert.Equal(1, (await table.GetSnapshotAsync()).Version);
        Assert.Equal(new long[] { 0 }.Concat(Enumerable.Range(0, 30).Select(i => (long)i)).Order(), (await ReadAllAsync(table)).Select(r => (long)r[0]!).Order());
    }

    [Fact]
    public async Task Appends_to_a_v2Checkpoint_table_write_a_V2_spec_classic_checkpoint_that_readers_useAsync()
    {
        // The table checkpoints every 2 commits: ours is classic-named with a checkpointMetadata row (the V2 spec).
        var folder = temp.Combine("append");
        TestData.CopyDeltaTable("v2-checkpoint-parquet", folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var schema = DdlParser.ParseSchema("id BIGINT");

        await table.WriteAsync(schema, [Batch(schema, [[10L]])]);
        await table.WriteAsync(schema, [Batch(schema, [[11L]])]);

        var checkpoint = Path.Combine(folder, DeltaLogFiles.CheckpointKey(4));
        var actions = await DeltaCheckpoint.ReadAsync(await File.ReadAllBytesAsync(checkpoint), checkpoint, default);
        Assert.Equal(4, Assert.Single(actions.OfType<CheckpointMetadataAction>()).Version);
        var duck = DuckDbQuery.Rows($"SELECT checkpointMetadata.version AS v FROM read_parquet({DuckDbQuery.Quote(checkpoint)}) WHERE checkpointMetadata IS NOT NULL");
        Assert.Equal(4, (long)Assert.Single(duck)["v"]!);
        DeleteCommits(folder, 0, 4);
        var reread = new DeltaTable(new LocalFileObjectStore(folder));
        Assert.Equal(4, (await reread.GetSnapshotAsync()).Version);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), (await ReadAllAsync(reread)).Select(r => (long)r[0]!).Order());
    }

    [Fact]
    public void Checkpoint_metadata_and_sidecar_actions_round_trip_through_JSON()
    {
        var line = """{"sidecar":{"path":"a%20b.parquet","sizeInBytes":9367,"modificationTime":1714496115780,"tags":{"k":"v"}}}""" + "\n"
            + """{"checkpointMetadata":{"version":2,"tags":{"numOfAddFiles":"4"}}}""" + "\n";

        var actions = DeltaActionJson.ParseCommit(Encoding.UTF8.GetBytes(line), "checkpoint");

        var sidecar = Assert.IsType<SidecarAction>(actions[0]);
        Assert.Equal(("a%20b.parquet", 9367L, 1714496115780L), (sidecar.Path, sidecar.SizeInBytes, sidecar.ModificationTime));
        Assert.Equal(2, Assert.IsType<CheckpointMetadataAction>(actions[1]).Version);
        Assert.Equal(line, Encoding.UTF8.GetString(DeltaActionJson.SerializeCommit(actions)));
        Assert.Equal("_delta_log/_sidecars/a b.parquet", DeltaLogFiles.SidecarKey(sidecar.Path));
        Assert.Equal("_delta_log/_sidecars/x.parquet", DeltaLogFiles.SidecarKey("s3://bucket/t/_delta_log/_sidecars/x.parquet"));
        Assert.Null(DeltaLogFiles.SidecarKey("s3://bucket/elsewhere/x.parquet"));
    }

    private static void DeleteCommits(string folder, long from, long through)
    {
        for (var version = from; version <= through; version++)
        {
            File.Delete(Path.Combine(folder, DeltaLogFiles.CommitKey(version)));
        }
    }
}
