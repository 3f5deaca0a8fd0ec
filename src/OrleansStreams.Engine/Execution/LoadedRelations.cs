using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>What a loader read for the leaves of one plan; a leaf it did not load means the wrong plan was loaded.</summary>
public sealed class LoadedRelations(IReadOnlyDictionary<LogicalPlan, RelationBinding> bindings) : IRelationProvider
{
    public RelationBinding ResolveTable(TableRelation table) => Find(table, table.Name);

    public RelationBinding ResolveSource(DataSourceRelation source) => Find(source, source.Path);

    private RelationBinding Find(LogicalPlan leaf, string name) =>
        bindings.TryGetValue(leaf, out var binding) ? binding : throw new InvalidOperationException($"`{name}` was not loaded with the plan being compiled");
}
