using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary><c>+ - * / %</c>; the analyzer has already cast both sides to the operand type.</summary>
public sealed class BoundArithmetic(BinaryOperator op, BoundExpression left, BoundExpression right, DataType type, string sql)
    : BoundExpression(type, nullable: true, sql)
{
    public BinaryOperator Operator { get; } = op;

    public override IReadOnlyList<BoundExpression> Children => [left, right];

    public override IArrowArray Evaluate(RecordBatch batch) =>
        ArithmeticKernels.Evaluate(Operator, left.Evaluate(batch), right.Evaluate(batch), Type);
}
