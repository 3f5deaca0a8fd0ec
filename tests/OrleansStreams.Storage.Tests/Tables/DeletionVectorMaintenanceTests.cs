using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>
/// OPTIMIZE and VACUUM on Spark's table with deletion vectors: VACUUM keeps the DV files the table still uses, and
/// OPTIMIZE rewrites the files whose DVs hide many rows, after which DuckDB (which knows nothing of DVs) reads the
/// same rows as we do.
/// </summary>
public sealed class DeletionVectorMaintenanceTests : IDisposable
{
    private readonly TempDirectory temp = new("dv-maintenance");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Vacuum_keeps_the_deletion_vectors_in_use_and_optimize_purges_themAsync()
    {
        var folder = temp.Combine("table");
        TestData.CopyDeltaTable("dv-partitioned-with-checkpoint", folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var rows = Canonical(await ReadAllAsync(table));
        var inUse = (await table.GetSnapshotAsync()).ActiveFiles.Count(f => f.DeletionVector is not null);
        Assert.True(inUse > 0);

        // Every file is as old as the copy, so a zero retention reaches all that the table no longer references.
        var noCheck = new VacuumOptions { Retention = TimeSpan.Zero, RetentionCheckEnabled = false };
        var first = await table.VacuumAsync(noCheck);
        Assert.Contains(first.Files, f => f.EndsWith(".bin", StringComparison.Ordinal)); // DVs replaced by later DELETEs
        Assert.Equal(rows, Canonical(await ReadAllAsync(new DeltaTable(new LocalFileObjectStore(folder)))));

        var metrics = await table.OptimizeAsync();

        Assert.True(metrics.NumFilesRemoved >= inUse); // the files with a DV (each hides more than 5% of its 2–3 rows) and the small ones beside them
        Assert.All((await table.GetSnapshotAsync()).ActiveFiles, f => Assert.Null(f.DeletionVector));
        Assert.Equal(rows, Canonical(await ReadAllAsync(table)));
        await table.VacuumAsync(noCheck);
        Assert.Empty(Directory.GetFiles(folder, "*.bin"));
        Assert.Equal(rows, Canonical(await ReadAllAsync(new DeltaTable(new LocalFileObjectStore(folder)))));

        // With the DVs purged, DuckDB's plain replay of the log reads exactly our rows.
        var duck = DuckDbDelta.ReadRows(folder, new Dictionary<string, string> { ["part"] = "INTEGER" });
        Assert.Equal(rows.Count, duck.Count);
        Assert.Equal(
            rows.Select(r => r.Split('|')[1]).Order(StringComparer.Ordinal),
            duck.Select(r => r!["col1"]!.ToString()).Order(StringComparer.Ordinal));
    }
}
