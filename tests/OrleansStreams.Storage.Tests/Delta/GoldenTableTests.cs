using System.Text.Json;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>Our log replay against the Delta tables Spark wrote (shared/testdata/delta) and their expected.json.</summary>
public class GoldenTableTests
{
    public static readonly string GoldenRoot = FindGoldenRoot();

    public static TheoryData<string> Tables()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.EnumerateDirectories(GoldenRoot).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task Replay_matches_expected_version_partitioning_and_active_filesAsync(string table)
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(GoldenRoot, table, "expected.json")));
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, table)));

        var snapshot = await log.GetSnapshotAsync();

        Assert.Equal(expected.RootElement.GetProperty("version").GetInt64(), snapshot.Version);
        Assert.Equal(Strings(expected.RootElement.GetProperty("partitionColumns")), snapshot.PartitionColumns);
        Assert.Equal(Strings(expected.RootElement.GetProperty("activeFiles")).Order(StringComparer.Ordinal), snapshot.ActiveFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(snapshot.Version, await log.GetLatestVersionAsync());
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("basic-with-inserts-deletes-checkpoint")]
    public async Task Replay_without_the_last_checkpoint_hint_lists_the_log_and_finds_the_same_stateAsync(string table)
    {
        var withHint = await new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, table))).GetSnapshotAsync();
        var store = InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, table));
        await store.DeleteAsync(DeltaLogFiles.LastCheckpointKey);

        var withoutHint = await new DeltaLog(store).GetSnapshotAsync();

        Assert.Equal(withHint.Version, withoutHint.Version);
        Assert.Equal(withHint.ActiveFiles.Select(f => f.Path).Order(), withoutHint.ActiveFiles.Select(f => f.Path).Order());
        Assert.Contains(store.Reads, key => key.EndsWith(".checkpoint.parquet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replay_from_a_spark_checkpoint_skips_the_commits_before_itAsync()
    {
        var store = InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "basic-with-inserts-deletes-checkpoint"));

        var snapshot = await new DeltaLog(store).GetSnapshotAsync();

        Assert.Equal(13, snapshot.Version);
        Assert.DoesNotContain(DeltaLogFiles.CommitKey(3), store.Reads);
        Assert.Contains(DeltaLogFiles.CheckpointKey(10), store.Reads);
        Assert.All(snapshot.ActiveFiles, f => Assert.False(string.IsNullOrEmpty(f.Stats)));
    }

    [Fact]
    public async Task Old_versions_before_a_checkpoint_are_replayed_from_the_json_commitsAsync()
    {
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "checkpoint")));

        var atFive = await log.GetSnapshotAsync(5);

        Assert.Equal(5, atFive.Version);
        Assert.Single(atFive.ActiveFiles);
    }

    [Fact]
    public async Task Time_travel_by_version_sees_each_version_grow_by_its_appended_filesAsync()
    {
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "time-travel-start-start20-start40")));

        var v0 = (await log.GetSnapshotAsync(0)).ActiveFiles.Select(f => f.Path).ToHashSet();
        var v1 = (await log.GetSnapshotAsync(1)).ActiveFiles.Select(f => f.Path).ToHashSet();
        var v2 = (await log.GetSnapshotAsync(2)).ActiveFiles.Select(f => f.Path).ToHashSet();
        var v1Again = (await log.GetSnapshotAsync(1)).ActiveFiles.Select(f => f.Path).ToHashSet();

        Assert.Equal([2, 4, 6], new[] { v0.Count, v1.Count, v2.Count });
        Assert.True(v0.IsProperSubsetOf(v1));
        Assert.True(v1.IsProperSubsetOf(v2));
        Assert.Equal(v1, v1Again);
    }

    [Fact]
    public async Task Time_travel_by_timestamp_picks_the_newest_commit_at_or_before_itAsync()
    {
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "time-travel-start-start20-start40")));
        var history = await log.GetHistoryAsync();
        var v1 = history.Single(h => h.Version == 1).Timestamp;

        Assert.Equal(1, (await log.GetSnapshotAsOfTimestampAsync(v1)).Version);
        Assert.Equal(0, (await log.GetSnapshotAsOfTimestampAsync(v1.AddMilliseconds(-1))).Version);
        Assert.Equal(2, (await log.GetSnapshotAsOfTimestampAsync(DateTimeOffset.MaxValue)).Version);
        var error = await Assert.ThrowsAsync<DeltaVersionNotFoundException>(() => log.GetSnapshotAsOfTimestampAsync(history[^1].Timestamp.AddDays(-1)));
        Assert.Contains("before the earliest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_lists_every_commit_newest_first_with_its_operationAsync()
    {
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "data-reader-escaped-chars")));

        var history = await log.GetHistoryAsync();

        Assert.Equal([2L, 1L, 0L], history.Select(h => h.Version));
        Assert.All(history, h => Assert.Equal("WRITE", h.CommitInfo?.Operation));
        Assert.Equal("Append", history[0].CommitInfo!.OperationParameters["mode"]);
        Assert.Equal(1, history[0].CommitInfo!.ReadVersion);
    }

    [Fact]
    public async Task Asking_for_a_version_past_the_end_names_the_latest_versionAsync()
    {
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "time-travel-start-start20-start40")));

        var error = await Assert.ThrowsAsync<DeltaVersionNotFoundException>(() => log.GetSnapshotAsync(7));

        Assert.Contains("version 7 does not exist; the latest version is 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_and_remove_of_an_encoded_path_cancel_outAsync()
    {
        var log = new DeltaLog(InMemoryObjectStore.LoadFolder(Path.Combine(GoldenRoot, "log-replay-special-characters-a")));

        Assert.Equal(["special%20p@%23h"], (await log.GetSnapshotAsync(0)).ActiveFiles.Select(f => f.Path));
        Assert.Empty((await log.GetSnapshotAsync(1)).ActiveFiles);
    }

    [Fact]
    public async Task Escaped_partition_paths_decode_to_the_folders_on_diskAsync()
    {
        var folder = Path.Combine(GoldenRoot, "data-reader-escaped-chars");
        var snapshot = await new DeltaLog(InMemoryObjectStore.LoadFolder(folder)).GetSnapshotAsync();

        foreach (var file in snapshot.ActiveFiles)
        {
            var key = DeltaPath.FromLogPath(file.Path);
            Assert.True(Directory.Exists(Path.Combine(folder, Path.GetDirectoryName(key)!)), key);
            Assert.Equal(file.Path, DeltaPath.ToLogPath(key));
            Assert.Equal(PartitionPath.Build(snapshot.PartitionColumns, file.PartitionValues), Path.GetDirectoryName(key));
        }
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string FindGoldenRoot() => OrleansStreams.TestSupport.TestData.DeltaTables;
}
