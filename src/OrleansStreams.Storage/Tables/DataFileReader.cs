using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Delta.DeletionVectors;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Reads a snapshot's live files as columnar batches: only the requested columns are decoded, only
/// the files the filter keeps are opened, and partition columns are filled in from each file's
/// <c>partitionValues</c> (a constant column per file). Columns are found in files and partition
/// values through the table's <see cref="ColumnMapping"/>; batches always carry the logical names.
/// </summary>
public sealed class DataFileReader
{
    private readonly IObjectStore store;
    private readonly DeletionVectorStore deletionVectors;

    public DataFileReader(IObjectStore tableStore)
    {
        store = tableStore;
        deletionVectors = new DeletionVectorStore(tableStore);
    }

    /// <summary>The schema of the batches <see cref="ReadAsync"/> returns for these columns (null: all, in table order).</summary>
    public static StructType OutputSchema(DeltaSnapshot snapshot, IReadOnlyList<string>? columns)
    {
        var schema = snapshot.Schema;
        if (columns is null)
        {
            return schema;
        }

        return new StructType(columns.Select(c => schema.Find(c)
            ?? throw new ArgumentException($"Table {snapshot.Table} has no column {StructType.QuoteIdentifier(c)}; its columns are {string.Join(", ", schema.FieldNames)}", nameof(columns))));
    }

    public IAsyncEnumerable<RecordBatch> ReadAsync(
        DeltaSnapshot snapshot,
        IReadOnlyList<string>? columns = null,
        Func<AddFile, bool>? fileFilter = null,
        CancellationToken cancellationToken = default) =>
        ReadFilesAsync(snapshot.ActiveFiles.Where(f => fileFilter is null || fileFilter(f)), snapshot, columns, cancellationToken);

    /// <summary>Reads the given files (which may come from commits, not only from the snapshot) in the snapshot's schema.</summary>
    public async IAsyncEnumerable<RecordBatch> ReadFilesAsync(
        IEnumerable<AddFile> files,
        DeltaSnapshot snapshot,
        IReadOnlyList<string>? columns = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var output = OutputSchema(snapshot, columns);
        var arrowSchema = ArrowTypes.ToArrowSchema(output);
        var mapping = ColumnMapping.For(snapshot);
        var partitionColumns = new HashSet<string>(snapshot.PartitionColumns, StringComparer.OrdinalIgnoreCase);
        var dataFields = output.Fields.Where(f => !partitionColumns.Contains(f.Name)).ToList();

        // A query that needs no data column (count(*), or partition columns only) still needs row counts.
        var readSchema = dataFields.Count > 0
            ? new StructType(dataFields)
            : new StructType(snapshot.Schema.Fields.Where(f => !partitionColumns.Contains(f.Name)).Take(1));

        foreach (var file in files)
        {
            // A file with a deletion vector hides the rows it lists: count rows across the file's batches to match them.
            var deleted = file.DeletionVector is { } dv
                ? await deletionVectors.LoadAsync(dv, file.Path, snapshot.Table, cancellationToken).ConfigureAwait(false)
                : null;
            long firstRow = 0;
            await foreach (var part in ReadFileAsync(file, readSchema, mapping, snapshot.Table, cancellationToken).ConfigureAwait(false))
            {
                var live = deleted is null ? part : DeletedRows.Remove(part, firstRow, deleted);
                firstRow += part.Length;
                if (live.Length > 0 || deleted is null)
                {
                    yield return Assemble(live, readSchema, output, arrowSchema, file, partitionColumns, mapping);
                }
            }
        }
    }

    private async IAsyncEnumerable<RecordBatch> ReadFileAsync(
        AddFile file, StructType readSchema, ColumnMapping mapping, string table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = DeltaPath.FromLogPath(file.Path);
        if (DeltaPath.IsOutsideTable(key))
        {
            // A log naming files elsewhere (another table, another account, the machine's own files) is refused, not followed.
            throw new DeltaLogException($"Table {table} refers to data file {file.Path}, which is outside the table (an absolute path, a URI or a '..' segment); only paths inside the table folder are read");
        }

        byte[] content;
        try
        {
            content = await store.ReadAllAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException e)
        {
            throw new DeltaLogException($"Data file {key} of table {table} is in the log but missing from storage (was it deleted outside Delta?)", e);
        }

        using var stream = new MemoryStream(content, writable: false);
        await using var batches = ParquetBatchReader.ReadAsync(stream, readSchema, mapping.ParquetResolver, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await batches.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new DeltaLogException($"Data file {key} of table {table} cannot be read as Parquet (truncated or corrupt?): {e.Message}", e);
            }

            yield return batches.Current;
        }
    }

    private static RecordBatch Assemble(
        RecordBatch part, StructType readSchema, StructType output, Schema arrowSchema, AddFile file, HashSet<string> partitionColumns, ColumnMapping mapping)
    {
        var columns = new IArrowArray[output.Count];
        for (var i = 0; i < output.Count; i++)
        {
            var field = output[i];
            if (partitionColumns.Contains(field.Name))
            {
                columns[i] = Columns.Repeat(PartitionValues.Parse(mapping.PartitionValue(file, field), field.Type), field.Type, part.Length);
            }
            else
            {
                columns[i] = part.Column(readSchema.IndexOf(field.Name));
            }
        }

        return new RecordBatch(arrowSchema, columns, part.Length);
    }
}
