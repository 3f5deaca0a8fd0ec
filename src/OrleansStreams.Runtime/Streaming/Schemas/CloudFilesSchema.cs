using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming.Schemas;

/// <summary>How many of the first files schema inference reads: Auto Loader's 1,000 files or 50 GB, whichever comes first.</summary>
public sealed record InferenceSample(int MaxFiles = 1000, long MaxBytes = 50L << 30)
{
    public static readonly InferenceSample Default = new();
}

/// <summary>
/// The data schema of one cloudFiles source and how it evolves. With a given schema it is that schema (plus the
/// rescued data column when asked for). Without one, it is the latest version under
/// <c>cloudFiles.schemaLocation</c>; the first start infers it from a sample of the first files (strings unless
/// <c>cloudFiles.inferColumnTypes</c>, then <c>cloudFiles.schemaHints</c>) and writes <c>_schemas/0</c>. An inferred
/// schema gets the <c>_rescued_data</c> column unless the evolution mode is none. When a batch meets new fields,
/// <see cref="NewFieldsAsync"/> writes the next version (addNewColumns) and says why the stream must stop.
/// </summary>
public sealed class CloudFilesSchema
{
    private readonly SchemaLog? log;
    private readonly IObjectStore? folder;
    private readonly string format;
    private readonly CloudFilesSchemaOptions options;
    private readonly FileFormatOptions formatOptions;

    private CloudFilesSchema(
        StructType dataSchema, SchemaEvolutionMode mode, string? rescuedDataColumn, int? version, IReadOnlyDictionary<string, string> readerOptions,
        SchemaLog? log, IObjectStore? folder, string format, CloudFilesSchemaOptions options, FileFormatOptions formatOptions)
    {
        DataSchema = dataSchema;
        Mode = mode;
        RescuedDataColumn = rescuedDataColumn;
        Version = version;
        ReaderOptions = readerOptions;
        this.log = log;
        this.folder = folder;
        this.format = format;
        this.options = options;
        this.formatOptions = formatOptions;
    }

    /// <summary>The columns the decoders produce, the rescued data (and corrupt record) columns included.</summary>
    public StructType DataSchema { get; }

    public SchemaEvolutionMode Mode { get; }

    public string? RescuedDataColumn { get; }

    /// <summary>The version in the schema log this schema is, or null for a given schema.</summary>
    public int? Version { get; }

    /// <summary>The source options as the decoders take them: the rescued data column and CSV's header set as resolved.</summary>
    public IReadOnlyDictionary<string, string> ReaderOptions { get; }

    /// <summary>A schema the user gave (no inference, no schema log).</summary>
    public static CloudFilesSchema Given(StructType schema, CloudFilesOptions source)
    {
        var options = source.Schema;
        if (options.EvolutionMode == SchemaEvolutionMode.AddNewColumns)
        {
            throw new ArgumentException(
                "Option cloudFiles.schemaEvolutionMode addNewColumns needs an inferred schema; a schema given with .Schema(…) does not evolve. "
                + "Leave the schema out and set cloudFiles.schemaLocation, or use rescue, failOnNewColumns or none");
        }

        var mode = options.EvolutionMode ?? SchemaEvolutionMode.None;
        var rescued = options.RescuedDataColumn ?? (mode == SchemaEvolutionMode.Rescue ? CloudFilesSchemaOptions.DefaultRescuedDataColumn : null);
        var readerOptions = ReaderOptionsWith(source.ReaderOptions, rescued, csvHeader: false);
        return new CloudFilesSchema(
            WithColumn(schema, rescued), mode, rescued, null, readerOptions, null, null, source.Format, options, FileFormatOptions.Parse(readerOptions));
    }

    /// <summary>The latest schema under the schema location, inferred from the first files of the source (and written as version 0) when there is none.</summary>
    /// <param name="folder">The source folder.</param>
    /// <param name="filter">Which of its objects are data files.</param>
    public static async Task<CloudFilesSchema> ResolveAsync(
        IObjectStore folder, DiscoveryFilter filter, bool recursive, CloudFilesOptions source, ObjectStoreFactory stores, InferenceSample? sample, CancellationToken cancellationToken)
    {
        var options = source.Schema;
        if (options.SchemaLocation is null)
        {
            throw new ArgumentException(
                $"Schema inference for the cloudFiles source at {folder.Root} needs option cloudFiles.schemaLocation (a folder that keeps the schema's versions, "
                + "such as the checkpoint location), or give the schema with .Schema(\"col TYPE, …\")");
        }

        var readerOptions = ReaderOptionsWith(source.ReaderOptions, null, csvHeader: source.Format.Equals("csv", StringComparison.OrdinalIgnoreCase));
        var formatOptions = FileFormatOptions.Parse(readerOptions);
        var log = new SchemaLog(stores.Create(options.SchemaLocation));
        var latest = await log.LatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            var inferred = await InferAsync(folder, filter, recursive, source.Format, formatOptions, options, sample ?? InferenceSample.Default, cancellationToken).ConfigureAwait(false);
            latest = (0, await log.AddAsync(0, inferred, cancellationToken).ConfigureAwait(false));
        }

        var mode = options.EvolutionMode ?? SchemaEvolutionMode.AddNewColumns;
        var rescued = options.RescuedDataColumn ?? (mode == SchemaEvolutionMode.None ? null : CloudFilesSchemaOptions.DefaultRescuedDataColumn);
        readerOptions = ReaderOptionsWith(readerOptions, rescued, csvHeader: false);
        var schema = WithColumn(WithColumn(latest.Value.Schema, options.CorruptRecordColumn), rescued);
        return new CloudFilesSchema(schema, mode, rescued, latest.Value.Version, readerOptions, log, folder, source.Format, options, FileFormatOptions.Parse(readerOptions));
    }

    /// <summary>
    /// A batch's files hold fields this schema lacks: with addNewColumns the fields' types are inferred from the batch's
    /// files and the schema with them appended is written as the next version; the exception to stop the stream with says
    /// so. With failOnNewColumns nothing is written. Null for the modes that go on (rescue, none).
    /// </summary>
    public async Task<UnknownFieldException?> NewFieldsAsync(IReadOnlyList<DiscoveredFile> files, IReadOnlyDictionary<string, NewFieldSighting> fields, CancellationToken cancellationToken)
    {
        var where = string.Join(", ", fields.Select(f => $"{StructType.QuoteIdentifier(f.Key)} (first in {f.Value.File} at line {f.Value.Line})"));
        var names = fields.Keys.ToList();
        switch (Mode)
        {
            case SchemaEvolutionMode.FailOnNewColumns:
                return new UnknownFieldException(
                    $"Encountered unknown fields during parsing: {where}. cloudFiles.schemaEvolutionMode is failOnNewColumns, so the schema is left as it is and the stream stops: "
                    + "add the columns to the schema (or its hints), set the mode to addNewColumns or rescue, or remove the files",
                    names,
                    schemaEvolved: false);
            case SchemaEvolutionMode.AddNewColumns when log is not null && folder is not null:
                var version = await EvolveAsync(files, names, cancellationToken).ConfigureAwait(false);
                return new UnknownFieldException(
                    $"Encountered unknown fields during parsing: {where}, which can be fixed by a restart: the schema is now version {version} at {log.Root}/{version}. "
                    + "Restart the query to go on with it (this batch is read again with the new schema), or start it with RestartOnSchemaChange() to restart by itself",
                    names,
                    schemaEvolved: true);
            default:
                return null;
        }
    }

    private async Task<int> EvolveAsync(IReadOnlyList<DiscoveredFile> files, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var inferrer = new SchemaInferrer(format, formatOptions, options.InferColumnTypes);
        foreach (var file in files)
        {
            try
            {
                await inferrer.AddFileAsync(new MemoryStream(await folder!.ReadAllAsync(file.Key, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException)
            {
                // deleted since it was read: the fields it had are typed STRING below
            }
        }

        var inferred = inferrer.Files > 0 ? inferrer.Result() : StructType.Empty;

        // Another run (or an earlier attempt at this batch) may have written the widened schema already.
        var (latestVersion, latest) = (await log!.LatestAsync(cancellationToken).ConfigureAwait(false))!.Value;
        var added = inferred.Fields.Where(f => names.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
            .Concat(names.Where(n => inferred.Find(n) is null).Select(n => new StructField(n, StringType.Instance)))
            .Where(f => latest.Find(f.Name) is null)
            .ToList();
        if (added.Count == 0)
        {
            return latestVersion;
        }

        await log.AddAsync(latestVersion + 1, new StructType(latest.Fields.Concat(added)), cancellationToken).ConfigureAwait(false);
        return latestVersion + 1;
    }

    private static async Task<StructType> InferAsync(
        IObjectStore folder, DiscoveryFilter filter, bool recursive, string format, FileFormatOptions formatOptions, CloudFilesSchemaOptions options, InferenceSample sample, CancellationToken cancellationToken)
    {
        var listed = new List<ObjectProperties>();
        await foreach (var page in folder.ListAsync(string.Empty, recursive ? ListOptions.Recursive : ListOptions.OneLevel, cancellationToken).ConfigureAwait(false))
        {
            listed.AddRange(page.Objects.Where(filter.Accepts));
        }

        // The first files, in the order discovery takes them.
        var inferrer = new SchemaInferrer(format, formatOptions, options.InferColumnTypes);
        long bytes = 0;
        foreach (var file in listed.OrderBy(f => f.LastModified).ThenBy(f => f.Key, StringComparer.Ordinal))
        {
            if (inferrer.Files >= sample.MaxFiles || bytes >= sample.MaxBytes)
            {
                break;
            }

            if (file.Size == 0)
            {
                continue;
            }

            try
            {
                await inferrer.AddFileAsync(new MemoryStream(await folder.ReadAllAsync(file.Key, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
                bytes += file.Size;
            }
            catch (ObjectNotFoundException)
            {
                // deleted since the listing
            }
        }

        var schema = inferrer.Files == 0 ? StructType.Empty : inferrer.Result();
        if (options.SchemaHints is { } hints)
        {
            schema = SchemaHints.Apply(schema, hints);
        }

        if (schema.Count == 0)
        {
            throw new InvalidOperationException(
                $"Cannot infer the schema of the cloudFiles source at {folder.Root}: {(inferrer.Files == 0 ? "it has no data files yet" : "its files hold no columns")}. "
                + "Start the stream when there are files, or give the schema with .Schema(\"col TYPE, …\")");
        }

        // As Spark's JSON inference: malformed records in the sample add the corrupt record column (PERMISSIVE mode).
        return inferrer.SawMalformedRecords && formatOptions.Mode == ParseMode.Permissive ? WithColumn(schema, formatOptions.CorruptRecordColumn) : schema;
    }

    private static StructType WithColumn(StructType schema, string? column) =>
        column is null || schema.IndexOf(column) >= 0 ? schema : schema.Add(new StructField(column, StringType.Instance));

    private static Dictionary<string, string> ReaderOptionsWith(IReadOnlyDictionary<string, string> options, string? rescued, bool csvHeader)
    {
        var result = new Dictionary<string, string>(options, StringComparer.OrdinalIgnoreCase);
        if (rescued is not null)
        {
            result["rescuedDataColumn"] = rescued;
        }

        if (csvHeader && !result.ContainsKey("header"))
        {
            result["header"] = "true"; // Auto Loader assumes CSV files have a header when it infers their schema
        }

        return result;
    }
}
