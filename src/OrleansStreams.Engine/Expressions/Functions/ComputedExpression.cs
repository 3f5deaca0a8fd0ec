using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// A bound function call whose kernel takes its evaluated arguments (whole columns) and the row
/// count, and returns the result column. Kernels are columnar; see <see cref="Kernels"/>.
/// </summary>
internal sealed class ComputedExpression(
    DataType type,
    bool nullable,
    string sql,
    IReadOnlyList<BoundExpression> arguments,
    Func<IArrowArray[], int, IArrowArray> kernel) : BoundExpression(type, nullable, sql)
{
    public override IReadOnlyList<BoundExpression> Children => arguments;

    public override IArrowArray Evaluate(RecordBatch batch) =>
        kernel(arguments.Select(a => a.Evaluate(batch)).ToArray(), batch.Length);
}
