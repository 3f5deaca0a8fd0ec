using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// <c>SELECT …, explode(xs) …</c>: one output row per element of the array (or entry of the map) in
/// each input row; the other columns repeat. Rows whose collection is NULL or empty produce nothing,
/// as Spark's explode does. Columnar: element rows are gathered once per column.
/// </summary>
public sealed class ExplodeExec : PhysicalOperator
{
    private readonly Projection projection;
    private readonly int explodeAt;
    private readonly PhysicalOperator child;

    /// <param name="projection">The other select items in order, then the collection to explode last.</param>
    /// <param name="explodeAt">Where the exploded column(s) go among the outputs.</param>
    public ExplodeExec(Projection projection, int explodeAt, string? alias, PhysicalOperator child)
        : base(OutputSchemaOf(projection.OutputSchema, explodeAt, alias))
    {
        this.projection = projection;
        this.explodeAt = explodeAt;
        this.child = child;
    }

    private static StructType OutputSchemaOf(StructType projected, int at, string? alias)
    {
        var others = projected.Fields.Take(projected.Count - 1).ToList();
        var exploded = projected[^1].Type switch
        {
            ArrayType a => [new StructField(alias ?? "col", a.ElementType)],
            MapType m => new[] { new StructField("key", m.KeyType, false), new StructField("value", m.ValueType) },
            var t => throw new Expressions.Analysis.AnalysisException(
                "DATATYPE_MISMATCH", $"explode needs an array or a map, but \"{projected[^1].Name}\" is {t.SimpleString}."),
        };
        others.InsertRange(at, exploded);
        return new StructType(others);
    }

    public override async IAsyncEnumerable<RecordBatch> ExecuteAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var arrowSchema = ArrowTypes.ToArrowSchema(Schema);
        await foreach (var input in child.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            var projected = projection.Evaluate(input);
            var collection = (ListArray)projected.Column(projected.ColumnCount - 1);
            var parents = new List<int>();
            var elements = new List<int>();
            for (var row = 0; row < collection.Length; row++)
            {
                if (collection.IsNull(row))
                {
                    continue;
                }

                for (var e = collection.ValueOffsets[row]; e < collection.ValueOffsets[row + 1]; e++)
                {
                    parents.Add(row);
                    elements.Add(e);
                }
            }

            if (parents.Count == 0)
            {
                continue;
            }

            var parentRows = parents.ToArray();
            var elementRows = elements.ToArray();
            var columns = Enumerable.Range(0, projected.ColumnCount - 1).Select(c => Gather.Take(projected.Column(c), parentRows)).ToList();
            IArrowArray[] exploded = collection is MapArray map
                ? [Gather.Take(map.Keys, elementRows), Gather.Take(map.Values, elementRows)]
                : [Gather.Take(collection.Values, elementRows)];
            columns.InsertRange(explodeAt, exploded);
            yield return new RecordBatch(arrowSchema, columns, parentRows.Length);
        }
    }
}
