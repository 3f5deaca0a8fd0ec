using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Builds the source for the streaming leaf of a plan: cloudFiles and file formats, Delta paths, catalog tables.</summary>
public static class StreamSources
{
    /// <summary>The schema a file source produces: the user schema, partition columns, and the hidden <c>_metadata</c>.</summary>
    public static StructType SchemaOf(DataSourceRelation source)
    {
        var schema = DataSchemaOf(source);
        var options = Options(source);
        return new StructType(schema.Fields.Concat(options.PartitionColumns.Where(c => schema.IndexOf(c) < 0).Select(c => new StructField(c, StringType.Instance)))
            .Append(Engine.Execution.FileMetadataColumn.Field));
    }

    /// <summary>The rate limit of a source from its options (maxFilesPerTrigger defaults to 1000).</summary>
    public static ReadLimit Limit(LogicalPlan leaf)
    {
        var options = leaf is DataSourceRelation source ? source.Options : Engine.Common.EquatableDictionary.Empty;
        string? Get(string key) => options.FirstOrDefault(o => o.Key.Equals(key, StringComparison.OrdinalIgnoreCase) || o.Key.Equals("cloudFiles." + key, StringComparison.OrdinalIgnoreCase)).Value;
        var maxFiles = Get("maxFilesPerTrigger") is { } f ? int.Parse(f, System.Globalization.CultureInfo.InvariantCulture) : 1000;
        long? maxBytes = Get("maxBytesPerTrigger") is { } b ? long.Parse(b.TrimEnd('b', 'B'), System.Globalization.CultureInfo.InvariantCulture) : null;
        return new ReadLimit(maxFiles, maxBytes);
    }

    /// <summary>The single streaming leaf of a plan.</summary>
    public static LogicalPlan Leaf(LogicalPlan plan) =>
        plan.Descendants().Single(n => n is TableRelation { Streaming: true } or DataSourceRelation { Streaming: true });

    /// <summary>The columns in the files: the user's schema (text files have a fixed one).</summary>
    public static StructType DataSchemaOf(DataSourceRelation source) =>
        source.UserSchema ?? (source.Format.Equals("text", StringComparison.OrdinalIgnoreCase) ? TextLinesReader.DefaultSchema : null)
        ?? throw new ArgumentException(
            $"Schema must be specified when creating a streaming source DataFrame for {source.Path}: call .Schema(\"col TYPE, …\") (schema inference is not built yet)");

    /// <param name="grains">When given, discovery runs in the source's discovery grain and files are decoded by scan workers.</param>
    public static IStreamSource Create(LogicalPlan leaf, DeltaCatalog catalog, ObjectStoreFactory stores, IObjectStore checkpoint, IGrainFactory? grains = null)
    {
        switch (leaf)
        {
            case DataSourceRelation { Format: var format } source when format.Equals("delta", StringComparison.OrdinalIgnoreCase):
                var table = new DeltaTable(stores.Create(source.Path));
                return Delta(table, source.Options, source.Path);
            case DataSourceRelation source:
                var (folder, pattern) = PathGlob.Split(source.Path);
                var options = Options(source);
                var spec = new DiscoverySpec
                {
                    Folder = stores.Create(folder).Root,
                    Pattern = pattern,
                    PathGlobFilter = options.PathGlobFilter,
                    ModifiedAfter = options.ModifiedAfter,
                    ModifiedBefore = options.ModifiedBefore,
                    Recursive = options.RecursiveFileLookup,
                    IncludeExistingFiles = options.IncludeExistingFiles,
                    CheckpointFolder = $"{checkpoint.Root.TrimEnd('/')}/sources/0",
                    Notifications = NotificationsOf(options, folder, grains is not null),
                };
                IFileDiscovery discovery = grains is null ? new FileDiscovery(spec, stores) : new Grains.GrainFileDiscovery(grains, spec);
                IFileSplitReader reader = grains is null ? new LocalFileSplitReader(stores.Create(spec.Folder)) : new Grains.ScanWorkerSplitReader(grains);
                return new FileStreamSource(discovery, reader, spec.Folder, DataSchemaOf(source), options);
            case TableRelation relation:
                var entry = Wait(() => catalog.ResolveAsync(relation.Name));
                return Delta(new DeltaTable(catalog.OpenStore(entry)), Engine.Common.EquatableDictionary.Empty, relation.Name);
            default:
                throw new NotSupportedException($"{leaf.GetType().Name} is not a streaming source");
        }
    }

    /// <summary>File-notification mode's settings; it needs a Blob folder and a cluster (the stream provider runs on silos).</summary>
    private static Notifications.NotificationSpec? NotificationsOf(CloudFilesOptions options, string folder, bool onGrains)
    {
        if (!options.UseNotifications)
        {
            return null;
        }

        if (StorageLocation.Parse(folder).Kind == StorageKind.Local)
        {
            throw new ArgumentException(
                $"cloudFiles.useNotifications reads BlobCreated events of Azure Blob Storage: {folder} is a local folder (use directory listing, or an abfss://, wasbs:// or https:// location)");
        }

        if (!onGrains)
        {
            throw new NotSupportedException("cloudFiles.useNotifications runs on a silo: start the query from a connected session, or an embedded one with RunQueriesOnSilo");
        }

        return new Notifications.NotificationSpec { QueueName = options.QueueName!, ConnectionString = options.ConnectionString, BackfillInterval = options.BackfillInterval };
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
