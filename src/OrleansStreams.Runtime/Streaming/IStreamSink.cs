using Apache.Arrow;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Where each micro-batch's result goes. <see cref="AddBatchAsync"/> may be called again for a batch id
/// after a failure; an exactly-once sink makes that replay a no-op.
/// </summary>
public interface IStreamSink
{
    /// <summary>Output modes the sink accepts (Spark's Delta sink takes append and complete).</summary>
    bool Supports(OutputMode mode);

    Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken);

    string Description { get; }
}
