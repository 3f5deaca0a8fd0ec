using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>
/// A resolved expression: columns are ordinals, functions are bound, and every node knows its
/// type and nullability. <see cref="Evaluate"/> computes a whole column at a time.
/// </summary>
public abstract class BoundExpression
{
    protected BoundExpression(DataType type, bool nullable, string sql)
    {
        Type = type;
        Nullable = nullable;
        Sql = sql;
    }

    public DataType Type { get; }

    public bool Nullable { get; }

    /// <summary>The expression as Spark prints it (the default output column name).</summary>
    public string Sql { get; }

    public abstract IReadOnlyList<BoundExpression> Children { get; }

    /// <summary>True when the value depends on no column, so the analyzer may fold it to a literal.</summary>
    public virtual bool IsFoldable => Children.Count > 0 && Children.All(c => c.IsFoldable);

    /// <summary>Evaluates the expression over a batch: an Arrow array of <see cref="Type"/> with one value per row.</summary>
    public abstract IArrowArray Evaluate(RecordBatch batch);

    public override string ToString() => Sql;
}
