using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary><c>upper(s)</c>.</summary>
internal sealed class UpperFunction(string name) : FunctionDefinition(name, 1, 1)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context) =>
        new StringMapExpression(context.Coerce(call, arguments[0], StringType.Instance, 1), char.ToUpperInvariant, call.Sql);
}
