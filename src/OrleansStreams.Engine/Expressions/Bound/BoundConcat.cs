using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary><c>a || b</c> and concat(…): string concatenation, NULL if any argument is NULL.</summary>
public sealed class BoundConcat(IReadOnlyList<BoundExpression> arguments, string sql)
    : BoundExpression(StringType.Instance, arguments.Any(a => a.Nullable), sql)
{
    public override IReadOnlyList<BoundExpression> Children => arguments;

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var parts = arguments.Select(a => (BinaryArray)a.Evaluate(batch)).ToArray();
        var n = batch.Length;
        var result = new Utf8Column(n);
        for (var i = 0; i < n; i++)
        {
            var isNull = false;
            foreach (var part in parts)
            {
                isNull |= part.IsNull(i);
            }

            if (isNull)
            {
                result.AppendNull();
                continue;
            }

            foreach (var part in parts)
            {
                result.Write(part.GetBytes(i));
            }

            result.EndRow();
        }

        return result.Build(Apache.Arrow.Types.StringType.Default);
    }
}
