using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>A batch GROUP BY: every input batch is folded into one aggregation state, then all groups are emitted.</summary>
public sealed class AggregateExec(AggregationSpec spec, PhysicalOperator child) : PhysicalOperator(spec.OutputSchema)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var state = spec.NewState();
        if (spec.Keys.Count == 0)
        {
            state.AddGlobalGroup();
        }

        await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            state.Update(batch);
        }

        yield return state.Emit(OutputMode.Complete);
    }
}
