using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Engine.Execution;

/// <summary>ORDER BY: gathers its input into one batch, sorts row indexes by the keys (stable), and reorders every column once.</summary>
public sealed class SortExec(IReadOnlyList<SortKey> keys, PhysicalOperator child) : PhysicalOperator(child.Schema)
{
    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = new List<RecordBatch>();
        await foreach (var batch in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            batches.Add(batch);
        }

        var all = BatchConcat.Concat(Schema, batches);
        if (all.Length == 0)
        {
            yield break;
        }

        var comparisons = keys.Select(k => Comparison(k, k.Expression.Evaluate(all))).ToList();
        var order = Enumerable.Range(0, all.Length).ToArray();
        var sorted = order.Order(Comparer<int>.Create((i, j) =>
        {
            foreach (var compare in comparisons)
            {
                var c = compare(i, j);
                if (c != 0)
                {
                    return c;
                }
            }

            return i.CompareTo(j);
        })).ToArray();

        yield return new RecordBatch(all.Schema, Enumerable.Range(0, all.ColumnCount).Select(c => Gather.Take(all.Column(c), sorted)), all.Length);
    }

    private static Func<int, int, int> Comparison(SortKey key, IArrowArray values)
    {
        var compare = ValueComparer.For(values);
        var direction = key.Ascending ? 1 : -1;
        var nullOrder = key.NullsFirst ? -1 : 1;
        return (i, j) => (values.IsNull(i), values.IsNull(j)) switch
        {
            (true, true) => 0,
            (true, false) => nullOrder,
            (false, true) => -nullOrder,
            _ => direction * compare(i, j),
        };
    }
}
