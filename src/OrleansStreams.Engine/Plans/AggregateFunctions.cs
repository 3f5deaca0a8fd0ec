using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Plans;

/// <summary>The names that denote aggregate functions, used to recognise aggregations in a select list.</summary>
public static class AggregateFunctions
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "count_distinct", "sum", "avg", "mean", "min", "max", "first", "first_value", "last", "last_value",
        "collect_list", "collect_set", "approx_count_distinct",
    };

    public static bool IsAggregate(string functionName) => Names.Contains(functionName);

    /// <summary>True when the expression contains an aggregate call anywhere inside it.</summary>
    public static bool ContainsAggregate(Expression expression) =>
        ExpressionWalker.Any(expression, e => e is FunctionCall f && IsAggregate(f.Name));
}
