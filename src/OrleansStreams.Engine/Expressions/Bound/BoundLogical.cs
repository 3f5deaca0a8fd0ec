using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>Three-valued AND / OR.</summary>
public sealed class BoundLogical(bool isAnd, BoundExpression left, BoundExpression right, string sql)
    : BoundExpression(BooleanType.Instance, left.Nullable || right.Nullable, sql)
{
    public bool IsAnd { get; } = isAnd;

    public override IReadOnlyList<BoundExpression> Children => [left, right];

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var l = left.Evaluate(batch);
        var r = right.Evaluate(batch);
        return IsAnd ? LogicKernels.And(l, r) : LogicKernels.Or(l, r);
    }
}
