using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>
/// <c>CASE WHEN c1 THEN r1 … ELSE e END</c>: each row takes the result of its first TRUE condition
/// (NULL counts as false), else the ELSE value or NULL. Results are evaluated as whole columns
/// and the rows picked columnar.
/// </summary>
public sealed class BoundCase(IReadOnlyList<BoundExpression> conditions, IReadOnlyList<BoundExpression> results, BoundExpression? otherwise, DataType type, string sql)
    : BoundExpression(type, otherwise is null || otherwise.Nullable || results.Any(r => r.Nullable), sql)
{
    public override IReadOnlyList<BoundExpression> Children => [.. conditions, .. results, .. (otherwise is null ? (IEnumerable<BoundExpression>)[] : [otherwise])];

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var n = batch.Length;
        var which = new int[n];
        var rows = new int[n];
        which.AsSpan().Fill(-2); // -2: undecided
        for (var i = 0; i < n; i++)
        {
            rows[i] = i;
        }

        for (var b = 0; b < conditions.Count; b++)
        {
            var condition = conditions[b].Evaluate(batch);
            var validity = new Validity(condition);
            for (var i = 0; i < n; i++)
            {
                if (which[i] == -2 && LogicKernels.IsTrue(condition, validity, i))
                {
                    which[i] = b;
                }
            }
        }

        var sources = results.Select(r => r.Evaluate(batch)).ToList();
        var elseIndex = otherwise is null ? -1 : sources.Count;
        if (otherwise is not null)
        {
            sources.Add(otherwise.Evaluate(batch));
        }

        for (var i = 0; i < n; i++)
        {
            if (which[i] == -2)
            {
                which[i] = elseIndex;
            }
        }

        return sources.Count == 0 ? Columns.AllNull(Type, n) : Gather.Pick(sources, which, rows);
    }
}
