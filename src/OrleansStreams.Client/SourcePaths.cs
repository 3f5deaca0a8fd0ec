using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Client;

/// <summary>
/// A plan's relative local source paths made absolute in the client, before the plan goes to a query grain:
/// a silo would resolve them against its own working folder, which is not the caller's.
/// </summary>
internal static class SourcePaths
{
    public static LogicalPlan Absolute(LogicalPlan plan) => PlanRewriter.Rewrite(plan, node =>
        node is DataSourceRelation source && IsRelativeLocal(source.Path) ? source with { Path = Path.GetFullPath(source.Path) } : null);

    /// <summary>Neither rooted nor a URI (<c>abfss://</c>, <c>wasbs://</c>, <c>https://</c>, <c>file://</c>).</summary>
    private static bool IsRelativeLocal(string path) => !Path.IsPathRooted(path) && !Uri.TryCreate(path, UriKind.Absolute, out _);
}
