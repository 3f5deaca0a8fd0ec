using OrleansStreams.Engine.Common;

namespace OrleansStreams.Engine.Plans;

/// <summary>Rebuilds a plan with some nodes replaced (top-down: a replaced node is not visited further).</summary>
public static class PlanRewriter
{
    public static LogicalPlan Rewrite(LogicalPlan plan, Func<LogicalPlan, LogicalPlan?> replace)
    {
        if (replace(plan) is { } replaced)
        {
            return replaced;
        }

        LogicalPlan R(LogicalPlan p) => Rewrite(p, replace);
        return plan switch
        {
            Project p => p with { Child = R(p.Child) },
            Filter f => f with { Child = R(f.Child) },
            Aggregate a => a with { Child = R(a.Child) },
            WithWatermark w => w with { Child = R(w.Child) },
            Deduplicate d => d with { Child = R(d.Child) },
            Distinct d => d with { Child = R(d.Child) },
            Union u => u with { Left = R(u.Left), Right = R(u.Right) },
            Join j => j with { Left = R(j.Left), Right = R(j.Right) },
            Sort s => s with { Child = R(s.Child) },
            Limit l => l with { Child = R(l.Child) },
            SubqueryAlias s => s with { Child = R(s.Child) },
            WithColumns w => w with { Child = R(w.Child) },
            RenameColumn r => r with { Child = R(r.Child) },
            DropColumns d => d with { Child = R(d.Child) },
            _ => plan,
        };
    }
}
