using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Formats;

namespace OrleansStreams.Client;

/// <summary>
/// The session's relations: Delta tables and paths through the catalog, and the schema of streaming
/// file sources (their data is only read by a running query).
/// </summary>
internal sealed class SessionRelations(IRelationProvider tables) : IRelationProvider
{
    public RelationBinding ResolveTable(TableRelation table) => tables.ResolveTable(table);

    public RelationBinding ResolveSource(DataSourceRelation source)
    {
        if (source.Format.Equals("delta", StringComparison.OrdinalIgnoreCase))
        {
            return tables.ResolveSource(source);
        }

        if (!source.Streaming)
        {
            throw new NotSupportedException($"Batch reads of {source.Format} files ({source.Path}) are not supported yet; read them as a stream, or query Delta tables");
        }

        var schema = StreamSources.SchemaOf(source);
        return new SourceBinding(schema, new InMemoryTable(schema, []));
    }
}
