using Apache.Arrow;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Soak;

/// <summary>
/// How far the pipeline got, read with our own reader on the fault-free store while it runs: rows landed in
/// <c>bronze</c> (from the files' stats) and rows counted by <c>totals</c>. The verdict is DuckDB's (<see cref="SoakCheck"/>).
/// </summary>
public sealed class SoakProgress(IObjectStore direct)
{
    public async Task<long> BronzeRowsAsync()
    {
        var table = new DeltaTable(new ScopedObjectStore(direct, "warehouse/bronze"));
        var snapshot = await table.GetSnapshotAsync();
        return snapshot.ActiveFiles.Sum(f => FileStats.NumRecords(f) ?? throw new InvalidOperationException($"bronze's {f.Path} has no row count"));
    }

    public async Task<long> TotalsRowsAsync()
    {
        if (await direct.GetPropertiesAsync("warehouse/totals/_delta_log/00000000000000000000.json") is null)
        {
            return 0;
        }

        var table = new DeltaTable(new ScopedObjectStore(direct, "warehouse/totals"));
        long rows = 0;
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(), ["rows"]))
        {
            var column = (Int64Array)batch.Column(0);
            for (var i = 0; i < column.Length; i++)
            {
                rows += column.GetValue(i) ?? 0;
            }
        }

        return rows;
    }

    /// <summary>Batches the query has committed (its checkpoint's <c>commits</c> entries).</summary>
    public async Task<int> CommittedBatchesAsync(string query)
    {
        var count = 0;
        await foreach (var page in direct.ListAsync($"checkpoints/{query}/commits/", ListOptions.Recursive))
        {
            count += page.Objects.Count;
        }

        return count;
    }
}
