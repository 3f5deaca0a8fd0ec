using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>Unary minus, computed as <c>0 - x</c> so integers wrap like Java.</summary>
public sealed class BoundNegate(BoundExpression child, string sql) : BoundExpression(child.Type, child.Nullable, sql)
{
    public override IReadOnlyList<BoundExpression> Children => [child];

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var values = child.Evaluate(batch);
        var zero = Columns.Repeat(Type is DecimalType ? 0m : Convert.ChangeType(0, ScalarClr(Type), System.Globalization.CultureInfo.InvariantCulture), Type, values.Length);
        return ArithmeticKernels.Evaluate(BinaryOperator.Subtract, zero, values, Type);
    }

    private static Type ScalarClr(DataType type) => type switch
    {
        ByteType => typeof(sbyte),
        ShortType => typeof(short),
        IntegerType => typeof(int),
        LongType => typeof(long),
        FloatType => typeof(float),
        _ => typeof(double),
    };
}
