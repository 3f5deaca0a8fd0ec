using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>UNION ALL by position: the left input's batches, then the right's, under the left's column names.</summary>
public sealed class UnionExec(StructType schema, PhysicalOperator left, PhysicalOperator right) : PhysicalOperator(schema)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var arrowSchema = ArrowTypes.ToArrowSchema(Schema);
        foreach (var input in new[] { left, right })
        {
            await foreach (var batch in input.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new RecordBatch(arrowSchema, Enumerable.Range(0, batch.ColumnCount).Select(batch.Column), batch.Length);
            }
        }
    }
}
