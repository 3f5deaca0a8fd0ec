using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary><c>nullif(a, b)</c>: NULL when <c>a = b</c>, else <c>a</c> — bound as that CASE.</summary>
internal sealed class NullIfFunction() : FunctionDefinition("nullif", 2, 2)
{
    public override BoundExpression Bind(FunctionCall call, IReadOnlyList<BoundExpression> arguments, BindContext context)
    {
        var (a, b) = (arguments[0], arguments[1]);
        var type = TypeCoercion.ForComparison(a.Type, b.Type)
            ?? throw AnalysisException.Mismatch(call, $"\"{a.Sql}\" and \"{b.Sql}\" cannot be compared (\"{a.Type.SimpleString.ToUpperInvariant()}\" and \"{b.Type.SimpleString.ToUpperInvariant()}\").");
        var equal = new BoundComparison(BinaryOperator.Equal, context.Cast(a, type), context.Cast(b, type), call.Sql);
        var resultType = a.Type is NullType ? StringType.Instance : a.Type;
        return new BoundCase([equal], [new BoundLiteral(null, resultType, "NULL")], context.Cast(a, resultType), resultType, call.Sql);
    }
}
