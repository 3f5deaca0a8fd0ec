using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Client;

/// <summary>
/// The session's relations: Delta tables and paths through the catalog, files read as a batch, and
/// the schema of streaming file sources (their data is only read by a running query). The session's
/// DataFrame API is synchronous, as Spark's is, so the logs and schemas are read here by waiting.
/// </summary>
internal sealed class SessionRelations(DeltaRelations tables, ObjectStoreFactory stores) : IRelationProvider
{
    public RelationBinding ResolveTable(TableRelation table) => SynchronousApi.Wait(() => tables.ResolveTableAsync(table));

    public RelationBinding ResolveSource(DataSourceRelation source)
    {
        if (source.Format.Equals("delta", StringComparison.OrdinalIgnoreCase))
        {
            return SynchronousApi.Wait(() => tables.ResolveSourceAsync(source));
        }

        var schema = SynchronousApi.Wait(() => StreamSources.SchemaOfAsync(source, stores));
        if (source.Streaming)
        {
            return new SourceBinding(schema, new InMemoryTable(schema, [])); // data comes only through a running query
        }

        var format = source.Format.Equals("cloudFiles", StringComparison.OrdinalIgnoreCase)
            ? source.Options.Get("cloudFiles.format") ?? throw new ArgumentException("Option cloudFiles.format is required")
            : source.Format;
        var (folder, glob) = PathGlob.Split(source.Path);
        var options = FileFormatOptions.Parse(source.Options);
        return new SourceBinding(schema, new FileBatchSource(stores.Create(folder), glob, format, schema, options));
    }
}
