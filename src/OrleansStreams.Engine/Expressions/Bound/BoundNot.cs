using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>NOT: NULL stays NULL.</summary>
public sealed class BoundNot(BoundExpression child, string sql) : BoundExpression(BooleanType.Instance, child.Nullable, sql)
{
    public override IReadOnlyList<BoundExpression> Children => [child];

    public override IArrowArray Evaluate(RecordBatch batch) => LogicKernels.Not(child.Evaluate(batch));
}
