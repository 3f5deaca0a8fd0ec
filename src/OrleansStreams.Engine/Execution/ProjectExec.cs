using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Evaluates a select list over each batch, a column at a time. Batches are independent, so a window of
/// them is evaluated at once on the thread pool (one per core); they come out in their input order.
/// </summary>
public sealed class ProjectExec(Projection projection, PhysicalOperator child) : PhysicalOperator(projection.OutputSchema)
{
    private static readonly int Parallelism = Environment.ProcessorCount;

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Parallelism <= 1)
        {
            await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return projection.Evaluate(batch);
            }

            yield break;
        }

        var window = new Queue<Task<RecordBatch>>();
        try
        {
            await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
            {
                window.Enqueue(Task.Run(() => projection.Evaluate(batch), cancellationToken));
                if (window.Count > Parallelism)
                {
                    yield return await window.Dequeue().ConfigureAwait(false);
                }
            }

            while (window.Count > 0)
            {
                yield return await window.Dequeue().ConfigureAwait(false);
            }
        }
        finally
        {
            // Abandoned early (a LIMIT above, an error): the batches in flight finish before the operator returns.
            await Task.WhenAll(window).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
