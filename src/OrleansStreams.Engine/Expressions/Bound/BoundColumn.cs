using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>A column of the input batch, or a field nested in struct columns (<c>a.b.c</c>): a path of ordinals.</summary>
public sealed class BoundColumn : BoundExpression
{
    public BoundColumn(IReadOnlyList<int> path, DataType type, bool nullable, string sql)
        : base(type, nullable, sql) => Path = path;

    /// <summary>The column's ordinal, then the field ordinal at each nesting level.</summary>
    public IReadOnlyList<int> Path { get; }

    public override IReadOnlyList<BoundExpression> Children => [];

    public override bool IsFoldable => false;

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var array = batch.Column(Path[0]);
        for (var level = 1; level < Path.Count; level++)
        {
            array = Field((StructArray)array, Path[level]);
        }

        return array;
    }

    /// <summary>A struct's field aligned with the struct's rows; a NULL struct makes its fields NULL.</summary>
    private static IArrowArray Field(StructArray parent, int ordinal)
    {
        var child = parent.Fields[ordinal];
        if (child.Length != parent.Length)
        {
            // Arrow gives a sliced struct's fields sliced with it (slicing again would shift them); a longer child was not.
            child = ArrowArrayFactory.Slice(child, parent.Offset, parent.Length);
        }

        if (parent.NullCount == 0)
        {
            return child;
        }

        var all = new int[parent.Length];
        var rows = new int[parent.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = i;
            if (parent.IsNull(i))
            {
                all[i] = -1;
            }
        }

        return Gather.Pick([child], all, rows);
    }
}
