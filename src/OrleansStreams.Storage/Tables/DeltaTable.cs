using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// A Delta table as users see it: write batches (append, overwrite, idempotent txn writes, schema
/// merging) and read snapshots back as batches. The log mechanics are <see cref="DeltaLog"/>'s; the
/// file layout is <see cref="PartitionedFileWriter"/>'s and <see cref="DataFileReader"/>'s.
/// </summary>
public sealed class DeltaTable
{
    public DeltaTable(IObjectStore tableStore, DeltaLogOptions? options = null)
    {
        Store = tableStore;
        Log = new DeltaLog(tableStore, options);
        Reader = new DataFileReader(tableStore);
    }

    public IObjectStore Store { get; }

    public DeltaLog Log { get; }

    public DataFileReader Reader { get; }

    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => Log.ExistsAsync(cancellationToken);

    /// <summary>Creates an empty table (version 0). Raises <see cref="DeltaTableExistsException"/> if there is one.</summary>
    public Task<DeltaSnapshot> CreateAsync(
        StructType schema,
        IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? configuration = null,
        CancellationToken cancellationToken = default)
    {
        var partitions = ResolvePartitionColumns(schema, partitionColumns ?? []);
        TableProperties.Validate(configuration);
        var protocol = TableFeatures.ForNewTable(schema, configuration);
        var metadata = MetadataAction.Create(SchemaJson.Serialize(schema), partitions, configuration);
        if (ColumnMapping.ParseMode(metadata) is null)
        {
            throw new ArgumentException($"{ColumnMapping.ModeProperty} must be none, name or id, not {configuration![ColumnMapping.ModeProperty]}", nameof(configuration));
        }

        if (ColumnMapping.For(protocol, metadata).Mode != ColumnMappingMode.None)
        {
            metadata = WithColumnIds(metadata, schema, 0);
        }

        return Log.CreateTableAsync(metadata, protocol: protocol, cancellationToken: cancellationToken);
    }

    /// <summary>The snapshot at <paramref name="version"/> (latest when null).</summary>
    public Task<DeltaSnapshot> GetSnapshotAsync(long? version = null, CancellationToken cancellationToken = default) =>
        Log.GetSnapshotAsync(version, cancellationToken);

    /// <summary>
    /// Writes <paramref name="batches"/> (of <paramref name="dataSchema"/>) in one commit, creating the table
    /// when it does not exist. Returns the committed version, or null when the txn pair says this write
    /// was already committed (a replayed streaming batch).
    /// </summary>
    public Task<long?> WriteAsync(
        StructType dataSchema,
        IReadOnlyList<RecordBatch> batches,
        DeltaWriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(dataSchema, batches.ToAsyncEnumerable(), options, cancellationToken);

    /// <summary>
    /// Writes the batches as they come (see <see cref="PartitionedFileWriter"/>: memory is bounded by its buffers, not by
    /// the input) in one commit, made after the last batch; otherwise as the list overload. A replayed streaming batch
    /// whose txn is committed already reads none of <paramref name="batches"/>.
    /// </summary>
    public async Task<long?> WriteAsync(
        StructType dataSchema,
        IAsyncEnumerable<RecordBatch> batches,
        DeltaWriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new DeltaWriteOptions();
        if (await Log.GetLatestVersionAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await CreateAsync(dataSchema, options.PartitionBy, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (DeltaTableExistsException)
            {
                // another writer created it first: write into theirs
            }
        }

        var snapshot = await Log.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (AlreadyCommitted(snapshot, options))
        {
            return null;
        }

        // Concurrent blind appends are retried by CommitAsync; a conflicting commit (an overwrite, a
        // schema change, the same txn app) surfaces as DeltaConcurrencyException for the caller to retry.
        var tx = await PrepareAsync(snapshot, dataSchema, batches, options, cancellationToken).ConfigureAwait(false);
        var version = await Log.CommitAsync(tx, cancellationToken).ConfigureAwait(false);
        if (TableProperties.AutoCompactEnabled(tx.Metadata ?? snapshot.Metadata))
        {
            await AutoCompactAsync(tx, options, cancellationToken).ConfigureAwait(false);
        }

        return version;
    }

    /// <summary>
    /// Bin-packs small files into larger ones (<c>OPTIMIZE</c>) in one commit that changes no data; see <see cref="OptimizeOptions"/>.
    /// </summary>
    public async Task<OptimizeMetrics> OptimizeAsync(OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await Log.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return await TableOptimizer.RunAsync(this, snapshot, options ?? new OptimizeOptions(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes files the table stopped referencing longer ago than the retention (<c>VACUUM</c>); see <see cref="VacuumOptions"/>.</summary>
    public Task<VacuumResult> VacuumAsync(VacuumOptions? options = null, CancellationToken cancellationToken = default) =>
        TableVacuum.RunAsync(this, options ?? new VacuumOptions(), cancellationToken);

    /// <summary>
    /// Databricks' auto compaction after a write to a table with <c>delta.autoOptimize.autoCompact</c>: the partitions the write
    /// added to are compacted once they hold enough small files. It is a commit of its own after the write's; losing it to a
    /// concurrent writer loses nothing (the rows are committed already), and a later write compacts again.
    /// </summary>
    private async Task AutoCompactAsync(DeltaTransaction write, DeltaWriteOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await Log.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var compaction = new OptimizeOptions
        {
            MaxFileSize = options.AutoCompactMaxFileSize,
            MinFileSize = options.AutoCompactMaxFileSize / 2,
            MinFilesPerPartition = options.AutoCompactMinFiles,
            Partitions = write.Adds.Select(f => TableOptimizer.PartitionOf(f)).ToHashSet(StringComparer.Ordinal),
            Auto = true,
        };
        try
        {
            await TableOptimizer.RunAsync(this, snapshot, compaction, cancellationToken).ConfigureAwait(false);
        }
        catch (DeltaConcurrencyException)
        {
            // Another writer removed one of the files first; its files (or the next write's compaction) take over.
        }
    }

    /// <summary>Reads the snapshot's rows (all columns in table order unless <paramref name="columns"/> names some).</summary>
    public IAsyncEnumerable<RecordBatch> ReadAsync(
        DeltaSnapshot snapshot,
        IReadOnlyList<string>? columns = null,
        Func<AddFile, bool>? fileFilter = null,
        CancellationToken cancellationToken = default) =>
        Reader.ReadAsync(snapshot, columns, fileFilter, cancellationToken);

    private static bool AlreadyCommitted(DeltaSnapshot snapshot, DeltaWriteOptions options) =>
        options.TxnAppId is { } appId && options.TxnVersion is { } version && snapshot.GetTransactionVersion(appId) >= version;

    private async Task<DeltaTransaction> PrepareAsync(
        DeltaSnapshot snapshot, StructType dataSchema, IAsyncEnumerable<RecordBatch> batches, DeltaWriteOptions options, CancellationToken cancellationToken)
    {
        var tableSchema = snapshot.Schema;
        var mapping = ColumnMapping.For(snapshot);
        MetadataAction? newMetadata = null;
        if (options.MergeSchema && SchemaMerger.HasNewColumns(tableSchema, dataSchema))
        {
            tableSchema = SchemaMerger.Merge(tableSchema, dataSchema);
            newMetadata = snapshot.Metadata with { SchemaString = SchemaJson.Serialize(tableSchema) };
            if (mapping.Mode != ColumnMappingMode.None)
            {
                newMetadata = WithColumnIds(newMetadata, tableSchema, ColumnIds.MaxColumnId(snapshot.Metadata, snapshot.Schema));
                tableSchema = SchemaJson.Parse(newMetadata.SchemaString);
            }
        }
        else
        {
            SchemaMerger.EnsureCompatible(tableSchema, dataSchema);
        }

        if (options.PartitionBy is { } requested && !requested.SequenceEqual(snapshot.PartitionColumns, StringComparer.OrdinalIgnoreCase))
        {
            throw new DeltaLogException(
                $"Partition columns [{string.Join(", ", requested)}] do not match those of table {snapshot.Table}: [{string.Join(", ", snapshot.PartitionColumns)}]");
        }

        if (newMetadata is not null && TableFeatures.HasTimestampNtz(tableSchema) && !(snapshot.Protocol.WriterFeatures?.Contains(TableFeatures.TimestampNtz) ?? false))
        {
            // Adding the column needs a protocol upgrade to reader 3 / writer 7, which this writer does not do yet.
            throw new DeltaUnsupportedFeatureException(
                snapshot.Table,
                [TableFeatures.TimestampNtz],
                $"Delta table {snapshot.Table}: merging a timestamp_ntz column needs the {TableFeatures.TimestampNtz} table feature, which the table's protocol lacks");
        }

        // Rows are checked before they reach the file writer, so a violation leaves no data file and no commit.
        var constraints = TableConstraints.For(snapshot, tableSchema);

        IReadOnlyList<AddFile> files;
        await using (var writer = new TableFileWriter(Store, snapshot, tableSchema, DataFileLayout.For(snapshot.Metadata.Configuration, options)))
        {
            await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var aligned = TableSchemaAligner.Align(batch, dataSchema, tableSchema, snapshot.Table);
                constraints.Check(aligned);
                await writer.AddAsync(aligned, cancellationToken).ConfigureAwait(false);
            }

            files = await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        DeltaTransaction tx;
        if (options.StreamingOutputMode is { } outputMode)
        {
            var queryId = options.TxnAppId ?? throw new ArgumentException("a streaming write needs TxnAppId (the query id)", nameof(options));
            var epoch = options.TxnVersion ?? throw new ArgumentException("a streaming write needs TxnVersion (the batch id)", nameof(options));
            tx = DeltaTransaction.StreamingUpdate(snapshot, files, options.Mode == DeltaWriteMode.Overwrite ? "Complete" : outputMode, queryId, epoch);
        }
        else
        {
            tx = options.Mode == DeltaWriteMode.Overwrite ? DeltaTransaction.Overwrite(snapshot, files) : DeltaTransaction.Append(files, snapshot);
            if (options.TxnAppId is { } appId && options.TxnVersion is { } version)
            {
                tx.SetTransaction(appId, version);
            }
        }

        return newMetadata is null ? tx : tx.UpdateMetadata(newMetadata);
    }

    /// <summary>The metadata with ids and physical names for the schema's fields that lack them, and the new maxColumnId.</summary>
    private static MetadataAction WithColumnIds(MetadataAction metadata, StructType schema, long maxColumnId)
    {
        var (assigned, max) = ColumnIds.Assign(schema, maxColumnId);
        var configuration = new Dictionary<string, string>(metadata.Configuration, StringComparer.Ordinal)
        {
            [ColumnMapping.MaxColumnIdProperty] = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return metadata with { SchemaString = SchemaJson.Serialize(assigned), Configuration = configuration };
    }

    private static List<string> ResolvePartitionColumns(StructType schema, IReadOnlyList<string> partitionColumns)
    {
        var resolved = new List<string>();
        foreach (var column in partitionColumns)
        {
            var field = schema.Find(column)
                ?? throw new ArgumentException($"Partition column {StructType.QuoteIdentifier(column)} is not in the schema: {schema.ToDdl()}", nameof(partitionColumns));
            if (field.Type is ArrayType or MapType or StructType)
            {
                throw new ArgumentException($"Partition column {StructType.QuoteIdentifier(column)} has type {field.Type.SimpleString}; partition columns must have an atomic type", nameof(partitionColumns));
            }

            resolved.Add(field.Name);
        }

        return resolved;
    }
}
