using Apache.Arrow;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Where each micro-batch's result goes. <c>AddBatchAsync</c> may be called again for a batch id
/// after a failure; an exactly-once sink makes that replay a no-op.
/// </summary>
public interface IStreamSink
{
    /// <summary>Output modes the sink accepts (Spark's Delta sink takes append and complete).</summary>
    bool Supports(OutputMode mode);

    Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// The batch's rows as they are produced. A sink that can write while they come (Delta) overrides this, so a batch
    /// larger than memory streams through; the others hold the whole batch first, as Spark's foreachBatch does.
    /// Enumerating <paramref name="rows"/> again reads the batch again (its sources replay the same rows).
    /// </summary>
    async Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IAsyncEnumerable<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken) =>
        await AddBatchAsync(queryId, batchId, schema, await rows.ToListAsync(cancellationToken).ConfigureAwait(false), mode, cancellationToken).ConfigureAwait(false);

    string Description { get; }
}
