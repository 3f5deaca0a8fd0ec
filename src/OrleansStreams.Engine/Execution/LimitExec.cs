using System.Runtime.CompilerServices;
using Apache.Arrow;

namespace OrleansStreams.Engine.Execution;

/// <summary>Passes the first <c>count</c> rows and stops pulling from its input.</summary>
public sealed class LimitExec(int count, PhysicalOperator child) : PhysicalOperator(child.Schema)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var remaining = count;
        if (remaining <= 0)
        {
            yield break;
        }

        await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Length >= remaining)
            {
                yield return batch.Slice(0, remaining);
                yield break;
            }

            remaining -= batch.Length;
            yield return batch;
        }
    }
}
