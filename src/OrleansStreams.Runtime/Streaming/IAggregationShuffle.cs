using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Where a streaming aggregation keeps its state when it is not in the query itself: the rows of a batch
/// are split by key and each part is folded into that key range's state, which saves itself by batch id.
/// </summary>
public interface IAggregationShuffle
{
    /// <summary>Applies batch <paramref name="batchId"/> (again, after a failure: from the state of the batch before) and returns the rows to emit.</summary>
    Task<ShuffleResult> ApplyAsync(long batchId, AggregateInput aggregation, IReadOnlyList<RecordBatch> rows, OutputMode mode, long? watermark, StateScheme scheme, CancellationToken cancellationToken);
}

/// <summary>What the partitions emitted, and how many groups they hold and changed (for progress reports).</summary>
public sealed record ShuffleResult(IReadOnlyList<RecordBatch> Rows, long StateRowsTotal, long StateRowsUpdated);
