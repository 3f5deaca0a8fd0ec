using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The state a query's runner keeps itself between batches: the aggregation's groups (unless partition
/// grains hold them) and the keys of a <c>dropDuplicates</c>. Each lives in its own checkpoint folder,
/// versioned by batch id. Its stores are kept from batch to batch, as a snapshot may still be on its way out.
/// </summary>
public sealed class QueryState(AggregationState? aggregation, DeduplicationState? deduplication)
{
    private IncrementalStateStore? aggregationStore;
    private IncrementalStateStore? deduplicationStore;

    public AggregationState? Aggregation { get; } = aggregation;

    public DeduplicationState? Deduplication { get; } = deduplication;

    /// <summary>Fills this fresh state with what it was after <paramref name="batchId"/>.</summary>
    public async Task<QueryState> LoadAsync(IObjectStore checkpoint, long batchId, CancellationToken cancellationToken)
    {
        if (Aggregation is not null)
        {
            await IncrementalStateStore.Reuse(ref aggregationStore, new(checkpoint, "state")).LoadAsync(Aggregation, batchId, cancellationToken).ConfigureAwait(false);
        }

        if (Deduplication is not null)
        {
            await IncrementalStateStore.Reuse(ref deduplicationStore, new(checkpoint, "dedup")).LoadAsync(Deduplication, batchId, cancellationToken).ConfigureAwait(false);
        }

        return this;
    }

    public async Task SaveAsync(IObjectStore checkpoint, long batchId, CancellationToken cancellationToken)
    {
        if (Aggregation is not null)
        {
            await IncrementalStateStore.Reuse(ref aggregationStore, new(checkpoint, "state")).SaveAsync(batchId, Aggregation, cancellationToken).ConfigureAwait(false);
        }

        if (Deduplication is not null)
        {
            await IncrementalStateStore.Reuse(ref deduplicationStore, new(checkpoint, "dedup")).SaveAsync(batchId, Deduplication, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the snapshots still being written, if any, are.</summary>
    public Task FlushAsync() => Task.WhenAll(aggregationStore?.FlushAsync() ?? Task.CompletedTask, deduplicationStore?.FlushAsync() ?? Task.CompletedTask);
}
