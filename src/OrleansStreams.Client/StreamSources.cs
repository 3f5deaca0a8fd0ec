using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Client;

/// <summary>Builds the runtime source for the streaming leaf of a plan.</summary>
internal static class StreamSources
{
    /// <summary>The schema a streaming file source produces: the user schema plus partition columns.</summary>
    public static StructType SchemaOf(DataSourceRelation source)
    {
        var schema = source.UserSchema ?? (source.Format.Equals("text", StringComparison.OrdinalIgnoreCase) ? TextLinesReader.DefaultSchema : null)
            ?? throw new ArgumentException(
                $"Schema must be specified when creating a streaming source DataFrame for {source.Path}: call .Schema(\"col TYPE, …\") (schema inference is not built yet)");
        var options = Options(source);
        return new StructType(schema.Fields.Concat(options.PartitionColumns.Where(c => schema.IndexOf(c) < 0).Select(c => new StructField(c, StringType.Instance))));
    }

    public static IStreamSource Create(LogicalPlan leaf, StreamingSession session, IObjectStore checkpoint)
    {
        switch (leaf)
        {
            case DataSourceRelation { Format: var format } source when format.Equals("delta", StringComparison.OrdinalIgnoreCase):
                var table = new DeltaTable(session.Stores.Create(source.Path));
                return Delta(table, source.Options, source.Path);
            case DataSourceRelation source:
                var (folder, pattern) = PathGlob.Split(source.Path);
                var schema = source.UserSchema ?? SchemaOf(source);
                return new FileStreamSource(session.Stores.Create(folder), pattern, schema, Options(source), new ScopedObjectStore(checkpoint, "sources/0"));
            case TableRelation relation:
                var entry = Wait(() => session.Catalog.ResolveAsync(relation.Name));
                return Delta(new DeltaTable(session.Catalog.OpenStore(entry)), Engine.Common.EquatableDictionary.Empty, relation.Name);
            default:
                throw new NotSupportedException($"{leaf.GetType().Name} is not a streaming source");
        }
    }

    private static CloudFilesOptions Options(DataSourceRelation source) =>
        source.Format.Equals("cloudFiles", StringComparison.OrdinalIgnoreCase)
            ? CloudFilesOptions.Parse(source.Options)
            : CloudFilesOptions.Parse(source.Options.Where(o => !o.Key.Equals("format", StringComparison.OrdinalIgnoreCase)).ToDictionary(), source.Format) with { };

    private static DeltaStreamSource Delta(DeltaTable table, IReadOnlyDictionary<string, string> options, string name)
    {
        string? Get(string key) => options.FirstOrDefault(o => o.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;
        var snapshot = Wait(() => table.GetSnapshotAsync());
        return new DeltaStreamSource(
            table,
            snapshot.Schema,
            Get("startingVersion") is { } v ? long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null,
            string.Equals(Get("ignoreDeletes"), "true", StringComparison.OrdinalIgnoreCase),
            string.Equals(Get("skipChangeCommits"), "true", StringComparison.OrdinalIgnoreCase),
            name);
    }

    private static T Wait<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
}
