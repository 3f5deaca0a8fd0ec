using System.Text;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>
/// Damaged and hostile files in a Delta table: each gives an error naming the file at fault, or the documented
/// recovery (a stale or unreadable <c>_last_checkpoint</c> is only a hint), never a silently wrong result.
/// </summary>
public sealed class CorruptTableFileTests : IDisposable
{
    private readonly TempDirectory temp = new("delta-corrupt");

    public void Dispose() => temp.Dispose();

    /// <summary>A table of four appends of 10 rows with a checkpoint at version 2 (interval 2) and another at 4.</summary>
    private async Task<(LocalFileObjectStore Store, List<object?[]> Rows)> TableAsync()
    {
        var store = new LocalFileObjectStore(temp.Combine($"t{Guid.NewGuid():N}"));
        var table = new DeltaTable(store);
        await table.CreateAsync(Bronze, configuration: new Dictionary<string, string> { [TableProperties.CheckpointInterval] = "2" });
        var rows = new List<object?[]>();
        for (var i = 0; i < 4; i++)
        {
            var batch = BronzeRows(i * 10, 10);
            rows.AddRange(Rows(batch));
            await table.WriteAsync(Bronze, [batch]);
        }

        return (store, rows);
    }

    [Theory]
    [InlineData("{\"add\":{\"path\":\"part-1.parquet\",\"partitionValu")]
    [InlineData("this is not json")]
    public async Task A_damaged_commit_line_is_an_error_naming_the_commit_and_lineAsync(string damage)
    {
        var (store, _) = await TableAsync();
        var commit = DeltaLogFiles.CommitKey(3);
        var content = Encoding.UTF8.GetString(await store.ReadAllAsync(commit));
        await store.WriteAsync(commit, Encoding.UTF8.GetBytes(content + damage));

        // The checkpoint at 4 covers commit 3: only reading that version (or its history) meets the damage.
        var error = await Assert.ThrowsAsync<DeltaLogException>(() => new DeltaTable(store).GetSnapshotAsync(3));

        Assert.Contains("00000000000000000003.json", error.Message, StringComparison.Ordinal);
        Assert.Contains($"line {content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_checkpoint_is_an_error_naming_itAsync()
    {
        var (store, _) = await TableAsync();
        var checkpoint = DeltaLogFiles.CheckpointKey(4);
        var bytes = await store.ReadAllAsync(checkpoint);
        await store.WriteAsync(checkpoint, bytes.AsMemory(0, bytes.Length / 2));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => new DeltaTable(store).GetSnapshotAsync());

        Assert.Contains("00000000000000000004.checkpoint.parquet", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":2,"size":9}""")] // stale: an older checkpoint
    [InlineData("""{"version":8,"size":9}""")] // ahead of the log: that checkpoint does not exist
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task A_stale_or_unreadable_last_checkpoint_hint_still_gives_the_latest_tableAsync(string hint)
    {
        var (store, rows) = await TableAsync();
        await store.WriteAsync(DeltaLogFiles.LastCheckpointKey, Encoding.UTF8.GetBytes(hint));

        var table = new DeltaTable(store);

        Assert.Equal(4, (await table.GetSnapshotAsync()).Version);
        Assert.Equal(Canonical(rows), Canonical(await ReadAllAsync(table)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_truncated_or_empty_data_file_is_an_error_naming_itAsync(bool empty)
    {
        var (store, _) = await TableAsync();
        var table = new DeltaTable(store);
        var file = (await table.GetSnapshotAsync()).ActiveFiles[0];
        var key = DeltaPath.FromLogPath(file.Path);
        var bytes = await store.ReadAllAsync(key);
        await store.WriteAsync(key, empty ? ReadOnlyMemory<byte>.Empty : bytes.AsMemory(0, bytes.Length - 10));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(new DeltaTable(store)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside/part-0.snappy.parquet")]
    [InlineData("a/../../outside/part-0.snappy.parquet")]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/passwd")]
    [InlineData("abfss://other@account.dfs.core.windows.net/part-0.parquet")]
    public async Task A_data_file_path_outside_the_table_is_refusedAsync(string path)
    {
        var (store, _) = await TableAsync();
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        File.Copy(Directory.GetFiles(store.Root, "*.parquet")[0], Path.Combine(outside, "part-0.snappy.parquet"));
        var table = new DeltaTable(store);
        var snapshot = await table.GetSnapshotAsync();
        await table.Log.CommitAsync(DeltaTransaction.Append([new AddFile(DeltaPath.ToLogPath(path), new Dictionary<string, string?>(), 100, 0)], snapshot));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(new DeltaTable(store)));

        Assert.Contains("outside the table", error.Message, StringComparison.Ordinal);
        Assert.Contains(path.Split('/')[^1], error.Message, StringComparison.Ordinal);
    }
}
