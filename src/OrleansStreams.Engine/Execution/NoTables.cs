using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>A catalog with no tables and no file sources: a session that only has temp views and in-memory data.</summary>
public sealed class NoTables : IRelationProvider
{
    public static readonly NoTables Instance = new();

    public RelationBinding ResolveTable(TableRelation table) =>
        throw new AnalysisException(
            "TABLE_OR_VIEW_NOT_FOUND",
            $"The table or view `{table.Name}` cannot be found. Verify the spelling and correctness of the schema and catalog.");

    public RelationBinding ResolveSource(DataSourceRelation source) =>
        throw new NotSupportedException($"This session cannot read {source.Format} data at {source.Path}: it has no storage");
}
