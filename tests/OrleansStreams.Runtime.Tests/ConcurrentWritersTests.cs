using System.Globalization;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Two processes append to one Delta table while a third compacts it with OPTIMIZE, on local files and on Azurite:
/// every commit lands once (blind appends never conflict, and compaction only rewrites), and the table reads right at
/// every version, by our reader and by DuckDB alone.
/// </summary>
public sealed class ConcurrentWritersTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int Commits = 15;
    private const int Rows = 40;

    private readonly TempDirectory temp = new("concurrent-writers");

    public void Dispose() => temp.Dispose();

    [Fact]
    public Task Two_appending_processes_and_a_compacting_one_lose_no_commit_on_local_filesAsync() =>
        RunAsync(temp.Combine("table"), connectionString: null);

    [Fact]
    public Task Two_appending_processes_and_a_compacting_one_lose_no_commit_on_azuriteAsync() =>
        RunAsync($"abfss://tables@devstoreaccount1.dfs.core.windows.net/concurrent-{Guid.NewGuid():N}", azurite.ConnectionString);

    private async Task RunAsync(string location, string? connectionString)
    {
        var stop = temp.Combine($"stop-{Guid.NewGuid():N}");
        var extra = connectionString is null ? Array.Empty<string>() : [connectionString];
        var compactor = CrossProcessHost.RunAsync("en-US", ["optimize", location, stop, .. extra]);
        var writers = await Task.WhenAll(new[] { "a", "b" }.Select(w => CrossProcessHost.RunAsync(
            "en-US", ["append", location, w, Commits.ToString(CultureInfo.InvariantCulture), Rows.ToString(CultureInfo.InvariantCulture), .. extra])));
        await File.WriteAllTextAsync(stop, string.Empty);
        var compacted = await compactor;

        // Each append got a version of its own; the compactions took others.
        var appendVersions = writers.SelectMany(Lines).Where(l => l.StartsWith("append ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[3], CultureInfo.InvariantCulture)).ToList();
        var optimizeVersions = Lines(compacted).Where(l => l.StartsWith("optimize ", StringComparison.Ordinal)).Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2 * Commits, appendVersions.Distinct().Count());
        Assert.NotEmpty(optimizeVersions);
        Assert.Empty(appendVersions.Intersect(optimizeVersions));

        var store = new ObjectStoreFactory(connectionString is null ? new StorageOptions() : new StorageOptions { ConnectionString = connectionString }).Create(location);
        var table = new DeltaTable(store);
        var latest = (await table.GetSnapshotAsync()).Version;
        var expected = new[] { "a", "b" }.SelectMany(w => Enumerable.Range(0, Commits * Rows).Select(s => $"{w}:{s}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, await KeysAsync(table, latest));

        // Every version holds the rows of the appends committed by then, once each, for us and for DuckDB.
        var folder = connectionString is null ? location : await LocalCopy.OfAsync(store, temp.Combine($"copy-{Guid.NewGuid():N}"));
        for (var version = 0L; version <= latest; version++)
        {
            var rows = appendVersions.Count(v => v <= version) * Rows;
            Assert.Equal(rows, (await KeysAsync(table, version)).Distinct().Count());
            var duck = DuckDbDelta.LiveFiles(folder, version).Count == 0 ? 0 : DuckDbDelta.Totals(folder, "seq", version).Rows;
            Assert.True(duck == rows, $"DuckDB at version {version}: {duck} rows, expected {rows}\n{compacted}");
        }
    }

    private static async Task<List<string>> KeysAsync(DeltaTable table, long version)
    {
        var keys = new List<string>();
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(version)))
        {
            keys.AddRange(RowJson.Render([batch]).Select(r => $"{r["writer"]}:{r["seq"]}"));
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
