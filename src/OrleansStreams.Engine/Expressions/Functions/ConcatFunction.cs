using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary><c>concat(a, b, …)</c>: like <c>||</c>, NULL if any argument is NULL.</summary>
internal sealed class ConcatFunction() : FunctionDefinition("concat", 1, int.MaxValue)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context) =>
        new BoundConcat(arguments.Select((a, i) => context.Coerce(call, a, StringType.Instance, i + 1)).ToList(), call.Sql);
}
