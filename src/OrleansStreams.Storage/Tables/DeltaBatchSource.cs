using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tables;

/// <summary>One snapshot of a Delta table as a batch query source: reads only the needed columns of the files the filters may match.</summary>
public sealed class DeltaBatchSource(DeltaTable table, DeltaSnapshot snapshot) : IBatchSource
{
    public DeltaSnapshot Snapshot => snapshot;

    /// <summary>Files the last scan opened (after pruning and skipping), for tests and query progress.</summary>
    public int LastScanFileCount { get; private set; }

    public async IAsyncEnumerable<RecordBatch> ScanAsync(ScanRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var skipping = new FileSkipping(snapshot, request.Filters);
        var opened = 0;
        await foreach (var batch in table.ReadAsync(snapshot, request.Columns, f => skipping.MayMatch(f) && ++opened > 0, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }

        LastScanFileCount = opened;
    }
}
