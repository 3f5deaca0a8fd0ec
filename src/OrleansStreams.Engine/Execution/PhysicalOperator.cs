using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>A step of an executable query: it produces batches of <see cref="Schema"/>, pulling from its inputs.</summary>
public abstract class PhysicalOperator
{
    protected PhysicalOperator(StructType schema) => Schema = schema;

    public StructType Schema { get; }

    public abstract IAsyncEnumerable<RecordBatch> ExecuteAsync(CancellationToken cancellationToken = default);
}
