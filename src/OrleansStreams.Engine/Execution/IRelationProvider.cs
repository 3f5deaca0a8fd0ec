using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Resolves the leaves of a plan: table names (temp views first, then the catalog) and sources by
/// format and path. The session that owns the catalog and the storage implements it.
/// </summary>
public interface IRelationProvider
{
    RelationBinding ResolveTable(TableRelation table);

    RelationBinding ResolveSource(DataSourceRelation source);
}

/// <summary>What a leaf resolves to.</summary>
public abstract record RelationBinding;

/// <summary>A temp view: its plan is analyzed in place of the name.</summary>
public sealed record ViewBinding(LogicalPlan Plan) : RelationBinding;

/// <summary>Data read through a source, with its full schema.</summary>
public sealed record SourceBinding(Types.StructType Schema, IBatchSource Source) : RelationBinding;
