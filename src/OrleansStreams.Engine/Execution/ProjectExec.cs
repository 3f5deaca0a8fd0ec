using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Engine.Execution;

/// <summary>Evaluates a select list over each batch, a column at a time.</summary>
public sealed class ProjectExec(Projection projection, PhysicalOperator child) : PhysicalOperator(projection.OutputSchema)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return projection.Evaluate(batch);
        }
    }
}
