using Apache.Arrow;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Spark's memory sink: the result kept in memory (all batches in append mode, the latest in complete
/// mode), queryable as a temp view named after the query. For tests and exploration, not durable.
/// </summary>
public sealed class MemorySink : IStreamSink
{
    private readonly object gate = new();
    private readonly Dictionary<long, IReadOnlyList<RecordBatch>> batches = [];

    public string Description => "MemorySink";

    public StructType? Schema { get; private set; }

    public bool Supports(OutputMode mode) => true;

    public Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            Schema = schema;
            if (mode == OutputMode.Complete)
            {
                batches.Clear();
            }

            batches[batchId] = rows; // a replayed batch replaces itself
        }

        return Task.CompletedTask;
    }

    /// <summary>The rows so far, in batch order.</summary>
    public IReadOnlyList<RecordBatch> Snapshot()
    {
        lock (gate)
        {
            return batches.OrderBy(b => b.Key).SelectMany(b => b.Value).ToList();
        }
    }
}
