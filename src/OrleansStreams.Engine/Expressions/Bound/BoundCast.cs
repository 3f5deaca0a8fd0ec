using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Casts;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Bound;

/// <summary>CAST (explicit, or inserted by the analyzer's type coercion), in the session time zone.</summary>
public sealed class BoundCast(BoundExpression child, DataType target, ZoneRules zone, string sql)
    : BoundExpression(target, nullable: true, sql)
{
    public BoundExpression Child { get; } = child;

    public override IReadOnlyList<BoundExpression> Children => [Child];

    public override IArrowArray Evaluate(RecordBatch batch) => CastKernel.Cast(Child.Evaluate(batch), Child.Type, Type, zone);
}
