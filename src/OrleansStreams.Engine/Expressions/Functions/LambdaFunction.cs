using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>A function whose binding is a lambda, for families of small functions defined together in one file.</summary>
internal sealed class LambdaFunction(
    string name,
    int minArguments,
    int maxArguments,
    Func<FunctionCall, IReadOnlyList<BoundExpression>, BindContext, BoundExpression> bind)
    : FunctionDefinition(name, minArguments, maxArguments)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context) =>
        bind(call, arguments, context);
}
