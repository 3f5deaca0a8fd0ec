using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Sql;

namespace OrleansStreams.Engine.Tests.Expressions.Functions;

/// <summary>Evaluates a SQL expression with no columns (a constant) in a session zone.</summary>
internal static class FunctionTestKit
{
    public static object? Eval(string expression, string zone = "UTC") =>
        ExprTestKit.Scalar(SqlParser.ParseExpression(expression), new SessionConfig(zone));
}
