using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Each source's new rows of one micro-batch, read when they are consumed — so a batch can stream from its sources to
/// its sink — and read again when consumed again (a source replays the same rows for the same offsets). Rows are
/// counted as they are read, for the batch's progress.
/// </summary>
public sealed class BatchSourceRows
{
    private readonly IReadOnlyList<Func<CancellationToken, IAsyncEnumerable<RecordBatch>>> reads;
    private readonly long[] counts;

    public BatchSourceRows(IReadOnlyList<Func<CancellationToken, IAsyncEnumerable<RecordBatch>>> reads)
    {
        this.reads = reads;
        counts = new long[reads.Count];
    }

    public int Count => reads.Count;

    /// <summary>Rows read from each source since the last <see cref="ResetCounts"/>.</summary>
    public IReadOnlyList<long> RowCounts => counts;

    /// <summary>Source <paramref name="source"/>'s rows, read as they are enumerated.</summary>
    public IAsyncEnumerable<RecordBatch> Of(int source) => CountedAsync(source, CancellationToken.None);

    /// <summary>Starts counting afresh, when the batch is read again.</summary>
    public void ResetCounts() => System.Array.Clear(counts);

    /// <summary>Every source's rows held in memory (what a stateful batch needs).</summary>
    public async Task<IReadOnlyList<IReadOnlyList<RecordBatch>>> CollectAsync(CancellationToken cancellationToken)
    {
        ResetCounts();
        var result = new IReadOnlyList<RecordBatch>[reads.Count];
        for (var i = 0; i < reads.Count; i++)
        {
            result[i] = await CountedAsync(i, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async IAsyncEnumerable<RecordBatch> CountedAsync(int source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in reads[source](cancellationToken).ConfigureAwait(false))
        {
            counts[source] += batch.Length;
            yield return batch;
        }
    }
}
