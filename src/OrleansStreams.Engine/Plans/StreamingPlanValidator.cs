using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Plans;

/// <summary>
/// Checks a streaming plan against an output mode before the query starts, with Spark's rules
/// and Spark's wording (UnsupportedOperationChecker), so users meet the errors they know.
/// </summary>
public static class StreamingPlanValidator
{
    public static void Validate(LogicalPlan plan, OutputMode mode)
    {
        if (!plan.IsStreaming)
        {
            return;
        }

        var aggregates = plan.Descendants().OfType<Aggregate>().Where(a => a.Child.IsStreaming).ToList();
        var watermarks = plan.Descendants().OfType<WithWatermark>().Select(w => w.EventTimeColumn).ToList();

        if (aggregates.Count > 1)
        {
            Fail("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets");
        }

        var aggregate = aggregates.SingleOrDefault();
        if (aggregate is not null && aggregate.Aggregates.Any(HasDistinctAggregate))
        {
            Fail("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.");
        }

        switch (mode)
        {
            case OutputMode.Complete when aggregate is null:
                Fail("Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets");
                break;
            case OutputMode.Append when aggregate is not null && !GroupsOnWatermark(aggregate, watermarks):
                Fail("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark");
                break;
        }

        foreach (var node in plan.Descendants())
        {
            switch (node)
            {
                case Sort sort when sort.Child.IsStreaming && !(mode == OutputMode.Complete && aggregate is not null):
                    Fail("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode");
                    break;
                case Limit when mode == OutputMode.Update:
                    Fail("Limits are not supported on streaming DataFrames/Datasets in Update output mode");
                    break;
                case Join join when join.Left.IsStreaming && join.Right.IsStreaming:
                    Fail("Stream-stream joins are not supported yet; join a stream with a static table");
                    break;
                case Join join when join.Right.IsStreaming && join.Type is JoinType.LeftOuter or JoinType.FullOuter:
                    Fail($"{JoinName(join.Type)} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported");
                    break;
                case Join join when join.Left.IsStreaming && join.Type is JoinType.RightOuter or JoinType.FullOuter:
                    Fail($"{JoinName(join.Type)} join with a streaming DataFrame/Dataset on the left and a static DataFrame/Dataset on the right is not supported");
                    break;
            }
        }
    }

    private static bool HasDistinctAggregate(Expression expression) =>
        ExpressionWalker.Any(expression, e => e is FunctionCall { Distinct: true } f && AggregateFunctions.IsAggregate(f.Name)
            || e is FunctionCall { Name: var n } && n.Equals("count_distinct", StringComparison.OrdinalIgnoreCase));

    /// <summary>Append needs the aggregation keyed on a watermarked column (directly or through <c>window(col, …)</c>).</summary>
    private static bool GroupsOnWatermark(Aggregate aggregate, IReadOnlyList<string> watermarks) =>
        aggregate.Grouping.Any(key => ExpressionWalker.Any(key, e =>
            e is ColumnRef c && watermarks.Any(w => string.Equals(w, c.NameParts[^1], StringComparison.OrdinalIgnoreCase))));

    private static string JoinName(JoinType type) => type switch
    {
        JoinType.LeftOuter => "LeftOuter",
        JoinType.RightOuter => "RightOuter",
        JoinType.FullOuter => "FullOuter",
        _ => type.ToString(),
    };

    private static void Fail(string message) => throw new StreamingPlanException(message);
}

/// <summary>A streaming plan that Spark's rules refuse (Spark raises an AnalysisException).</summary>
public sealed class StreamingPlanException : InvalidOperationException
{
    public StreamingPlanException(string message)
        : base(message)
    {
    }
}
