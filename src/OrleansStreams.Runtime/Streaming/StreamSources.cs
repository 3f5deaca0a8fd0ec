using Microsoft.Extensions.Logging;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming.Schemas;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Builds the source for the streaming leaf of a plan: cloudFiles and file formats, Delta paths, catalog tables.</summary>
public static class StreamSources
{
    /// <summary>The schema a file source produces: its data schema (given, or inferred under the schema location), partition columns, and the hidden <c>_metadata</c>.</summary>
    public static async Task<StructType> SchemaOfAsync(DataSourceRelation source, ObjectStoreFactory stores, CancellationToken cancellationToken = default)
    {
        var schema = (await FileSchemaOfAsync(source, stores, cancellationToken).ConfigureAwait(false)).DataSchema;
        var options = Options(source);
        return new StructType(schema.Fields.Concat(options.PartitionColumns.Where(c => schema.IndexOf(c) < 0).Select(c => new StructField(c, StringType.Instance)))
            .Append(Engine.Execution.FileMetadataColumn.Field));
    }

    /// <summary>
    /// The rate limit of a source from its options (maxFilesPerTrigger defaults to 1000), parsed as the source's
    /// options are: Auto Loader's for file sources, the same two options (with or without <c>cloudFiles.</c>) for Delta.
    /// </summary>
    public static ReadLimit Limit(LogicalPlan leaf)
    {
        switch (leaf)
        {
            case DataSourceRelation { Format: var format } files when !format.Equals("delta", StringComparison.OrdinalIgnoreCase):
                var options = Options(files);
                return new ReadLimit(options.MaxFilesPerTrigger, options.MaxBytesPerTrigger);
            case DataSourceRelation delta:
                return new ReadLimit(
                    CloudFilesOptions.Find(delta.Options, "maxFilesPerTrigger") is { } f ? CloudFilesOptions.ParseCount(f, "maxFilesPerTrigger") : 1000,
                    CloudFilesOptions.Find(delta.Options, "maxBytesPerTrigger") is { } b ? Engine.Common.ByteSizeText.Parse(b, "maxBytesPerTrigger") : null);
            default:
                return new ReadLimit(1000, null);
        }
    }

    /// <summary>
    /// The sources of every streaming leaf of a plan (in <see cref="StreamingLeaves"/> order), each with its
    /// read limit; source <c>i</c> keeps its file log under the checkpoint's <c>sources/i</c>.
    /// </summary>
    /// <param name="logger">Where bad input found by local decoding is reported.</param>
    /// <param name="timeZone">The session time zone, in which files' timestamps without an offset are read.</param>
    public static async Task<StreamSourceSet> CreateAllAsync(
        LogicalPlan plan,
        DeltaCatalog catalog,
        ObjectStoreFactory stores,
        IObjectStore checkpoint,
        IGrainFactory? grains = null,
        ILogger? logger = null,
        string timeZone = "UTC",
        CancellationToken cancellationToken = default)
    {
        var leaves = StreamingLeaves.Of(plan);
        var sources = new List<IStreamSource>(leaves.Count);
        for (var i = 0; i < leaves.Count; i++)
        {
            sources.Add(await CreateAsync(leaves[i], i, catalog, stores, checkpoint, grains, logger, timeZone, cancellationToken).ConfigureAwait(false));
        }

        return new StreamSourceSet(sources, [.. leaves.Select(Limit)]);
    }

    /// <summary>Checks (or infers) each file source's schema and options (before a query is handed to a grain).</summary>
    public static async Task ValidateAsync(LogicalPlan plan, ObjectStoreFactory stores, CancellationToken cancellationToken = default)
    {
        foreach (var leaf in StreamingLeaves.Of(plan))
        {
            if (leaf is DataSourceRelation { Format: var format } fileSource && !format.Equals("delta", StringComparison.OrdinalIgnoreCase))
            {
                await SchemaOfAsync(fileSource, stores, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The columns in the files and how they evolve: the user's schema (text files have a fixed one), or — for a
    /// stream with <c>cloudFiles.schemaLocation</c> — the latest inferred version kept there.
    /// </summary>
    public static async Task<CloudFilesSchema> FileSchemaOfAsync(DataSourceRelation source, ObjectStoreFactory stores, CancellationToken cancellationToken = default)
    {
        var options = Options(source);
        var given = source.UserSchema ?? (options.Format.Equals("text", StringComparison.OrdinalIgnoreCase) ? TextLinesReader.DefaultSchema : null);
        if (given is not null)
        {
            return CloudFilesSchema.Given(given, options);
        }

        if (!source.Streaming)
        {
            throw new ArgumentException($"Schema must be specified when reading files as a batch from {source.Path}: call .Schema(\"col TYPE, …\")");
        }

        var (folder, pattern) = PathGlob.Split(source.Path);
        var spec = DiscoverySpecOf(stores.Create(folder).Root, pattern, options, checkpointFolder: string.Empty);
        return await CloudFilesSchema.ResolveAsync(stores.Create(spec.Folder), new DiscoveryFilter(spec), spec.Recursive, options, stores, null, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="grains">When given, discovery runs in the source's discovery grain and files are decoded by scan workers.</param>
    /// <param name="logger">Where bad input found by local decoding is reported.</param>
    public static async Task<IStreamSource> CreateAsync(
        LogicalPlan leaf,
        int index,
        DeltaCatalog catalog,
        ObjectStoreFactory stores,
        IObjectStore checkpoint,
        IGrainFactory? grains = null,
        ILogger? logger = null,
        string timeZone = "UTC",
        CancellationToken cancellationToken = default)
    {
        switch (leaf)
        {
            case DataSourceRelation { Format: var format } source when format.Equals("delta", StringComparison.OrdinalIgnoreCase):
                var table = new DeltaTable(stores.Create(source.Path));
                return await DeltaAsync(table, source.Options, source.Path, cancellationToken).ConfigureAwait(false);
            case DataSourceRelation source:
                var (folder, pattern) = PathGlob.Split(source.Path);
                var options = Options(source);
                var checkpointFolder = $"{checkpoint.Root.TrimEnd('/')}/sources/{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                var spec = DiscoverySpecOf(stores.Create(folder).Root, pattern, options, checkpointFolder) with { Notifications = NotificationsOf(options, folder, grains is not null) };
                IFileDiscovery discovery = grains is null ? new FileDiscovery(spec, stores) : new Grains.GrainFileDiscovery(grains, spec);
                var local = new LocalFileSplitReader(stores.Create(spec.Folder), logger, stores.Create);
                IFileSplitReader reader = grains is null ? local : new Grains.ScanWorkerSplitReader(grains, local);
                var schema = await FileSchemaOfAsync(source, stores, cancellationToken).ConfigureAwait(false);
                var location = StorageLocation.Parse(spec.Folder);
                return new FileStreamSource(discovery, reader, spec.Folder, schema, options, timeZone)
                {
                    // A local folder is watched, so a landed file is picked up at once; cloud folders are polled (or notified).
                    Changes = location.Kind == StorageKind.Local && spec.Notifications is null
                        ? FolderChanges.TryWatch(location.LocalPath!, spec.Recursive, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
                        : null,
                };
            case TableRelation relation:
                var entry = await catalog.ResolveAsync(relation.Name, cancellationToken).ConfigureAwait(false);
                return await DeltaAsync(new DeltaTable(catalog.OpenStore(entry)), Engine.Common.EquatableDictionary.Empty, relation.Name, cancellationToken).ConfigureAwait(false);
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

    private static DiscoverySpec DiscoverySpecOf(string folder, string? pattern, CloudFilesOptions options, string checkpointFolder) => new()
    {
        Folder = folder,
        Pattern = pattern,
        PathGlobFilter = options.PathGlobFilter,
        ModifiedAfter = options.ModifiedAfter,
        ModifiedBefore = options.ModifiedBefore,
        Recursive = options.RecursiveFileLookup,
        IncludeExistingFiles = options.IncludeExistingFiles,
        CheckpointFolder = checkpointFolder,
    };

    private static CloudFilesOptions Options(DataSourceRelation source) =>
        source.Format.Equals("cloudFiles", StringComparison.OrdinalIgnoreCase)
            ? CloudFilesOptions.Parse(source.Options)
            : CloudFilesOptions.Parse(source.Options.Where(o => !o.Key.Equals("format", StringComparison.OrdinalIgnoreCase)).ToDictionary(), source.Format) with { };

    private static async Task<DeltaStreamSource> DeltaAsync(DeltaTable table, IReadOnlyDictionary<string, string> options, string name, CancellationToken cancellationToken)
    {
        string? Get(string key) => options.FirstOrDefault(o => o.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new DeltaStreamSource(
            table,
            snapshot.Schema,
            Get("startingVersion") is { } v ? long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null,
            string.Equals(Get("ignoreDeletes"), "true", StringComparison.OrdinalIgnoreCase),
            string.Equals(Get("skipChangeCommits"), "true", StringComparison.OrdinalIgnoreCase),
            name);
    }
}
