using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>COALESCE: per row, the first argument that is not NULL.</summary>
public sealed class BoundCoalesce(IReadOnlyList<BoundExpression> arguments, DataType type, string sql)
    : BoundExpression(type, arguments.All(a => a.Nullable), sql)
{
    public override IReadOnlyList<BoundExpression> Children => arguments;

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var n = batch.Length;
        var sources = arguments.Select(a => a.Evaluate(batch)).ToList();
        var which = new int[n];
        var rows = new int[n];
        which.AsSpan().Fill(-1);
        for (var s = sources.Count - 1; s >= 0; s--)
        {
            var validity = new Validity(sources[s]);
            for (var i = 0; i < n; i++)
            {
                rows[i] = i;
                if (validity.IsValid(i))
                {
                    which[i] = s;
                }
            }
        }

        return Gather.Pick(sources, which, rows);
    }
}
