using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>A constant, in the engine's scalar form (see <see cref="Literal"/>).</summary>
public sealed class BoundLiteral : BoundExpression
{
    private IArrowArray? _last; // arrays are immutable, so a batch of the same length reuses the column

    public BoundLiteral(object? value, DataType type, string sql)
        : base(type, value is null, sql) => Value = value;

    public object? Value { get; }

    public override IReadOnlyList<BoundExpression> Children => [];

    public override bool IsFoldable => true;

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var last = _last;
        if (last is not null && last.Length == batch.Length)
        {
            return last;
        }

        var array = Columns.Repeat(Value, Type, batch.Length);
        _last = array;
        return array;
    }
}
