using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary><c>coalesce(a, b, …)</c>: the first non-NULL argument, all widened to one type.</summary>
internal sealed class CoalesceFunction() : FunctionDefinition("coalesce", 1, int.MaxValue)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context)
    {
        var type = context.CommonType(call, arguments);
        return new BoundCoalesce(arguments.Select(a => context.Cast(a, type)).ToList(), type, call.Sql);
    }
}
