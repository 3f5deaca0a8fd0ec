namespace OrleansStreams.Engine.Plans;

/// <summary>
/// The leaves of a plan that read a stream (<c>readStream…load</c>, <c>STREAM t</c>), numbered in one
/// fixed order — a union of streams has several — so that source <c>i</c>, its checkpoint folder and its
/// rows in each batch always belong to the same leaf, even when one leaf object appears twice.
/// </summary>
public static class StreamingLeaves
{
    public static bool IsStreamingLeaf(LogicalPlan node) => node is TableRelation { Streaming: true } or DataSourceRelation { Streaming: true };

    /// <summary>The streaming leaves in order.</summary>
    public static IReadOnlyList<LogicalPlan> Of(LogicalPlan plan)
    {
        var leaves = new List<LogicalPlan>();
        Replace(plan, (_, leaf) =>
        {
            leaves.Add(leaf);
            return leaf;
        });
        return leaves;
    }

    /// <summary>The plan with leaf <c>i</c> replaced by <paramref name="replacement"/>(i, leaf).</summary>
    public static LogicalPlan Replace(LogicalPlan plan, Func<int, LogicalPlan, LogicalPlan> replacement)
    {
        var next = 0;
        return PlanRewriter.Rewrite(plan, node => IsStreamingLeaf(node) ? replacement(next++, node) : null);
    }
}
