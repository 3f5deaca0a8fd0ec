using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary><c>= &lt;=&gt; != &lt; &lt;= &gt; &gt;=</c> over two sides of one (coerced) type.</summary>
public sealed class BoundComparison(BinaryOperator op, BoundExpression left, BoundExpression right, string sql)
    : BoundExpression(BooleanType.Instance, op != BinaryOperator.NullSafeEqual && (left.Nullable || right.Nullable), sql)
{
    public BinaryOperator Operator { get; } = op;

    public override IReadOnlyList<BoundExpression> Children => [left, right];

    public override IArrowArray Evaluate(RecordBatch batch) =>
        ComparisonKernels.Evaluate(Operator, left.Evaluate(batch), right.Evaluate(batch), left.Type);
}
