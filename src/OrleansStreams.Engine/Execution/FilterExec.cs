using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace OrleansStreams.Engine.Execution;

/// <summary>Keeps the rows where the predicate is TRUE; batches left empty are not passed on.</summary>
public sealed class FilterExec(Expressions.Evaluation.Filter filter, PhysicalOperator child) : PhysicalOperator(child.Schema)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var kept = filter.Evaluate(batch);
            if (kept.Length > 0)
            {
                yield return kept;
            }
        }
    }
}
