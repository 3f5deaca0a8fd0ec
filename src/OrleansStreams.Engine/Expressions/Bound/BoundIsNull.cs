using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>IS [NOT] NULL, never NULL itself.</summary>
public sealed class BoundIsNull(BoundExpression child, bool negated, string sql) : BoundExpression(BooleanType.Instance, nullable: false, sql)
{
    public override IReadOnlyList<BoundExpression> Children => [child];

    public override IArrowArray Evaluate(RecordBatch batch)
    {
        var values = child.Evaluate(batch);
        var validity = new Validity(values);
        var result = new BooleanColumn(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            result.Set(i, validity.IsValid(i) == negated);
        }

        return result.Build();
    }
}
