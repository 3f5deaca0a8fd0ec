using Apache.Arrow;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary><c>foreachBatch((batch, batchId) => …)</c>: the user's code receives each micro-batch; replays pass the same batch id.</summary>
public sealed class ForeachBatchSink(Func<StructType, IReadOnlyList<RecordBatch>, long, CancellationToken, Task> action) : IStreamSink
{
    public string Description => "ForeachBatchSink";

    public bool Supports(OutputMode mode) => true;

    public Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken) =>
        action(schema, rows, batchId, cancellationToken);
}
