using System.Globalization;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Writes batches as a table's Parquet data files, one file per partition per write, in Hive-style
/// folders (<c>topic=orders/year_month=2022-01/part-00000-….snappy.parquet</c>), and describes each
/// file as the <c>add</c> action that will commit it. Partition columns live in the folder names, not
/// in the files, as Delta requires.
/// </summary>
public sealed class DataFileWriter
{
    private readonly IObjectStore store;

    public DataFileWriter(IObjectStore tableStore) => store = tableStore;

    /// <param name="batches">Batches already in <paramref name="tableSchema"/>'s column order.</param>
    public async Task<IReadOnlyList<AddFile>> WriteAsync(
        StructType tableSchema,
        IReadOnlyList<string> partitionColumns,
        IReadOnlyList<RecordBatch> batches,
        int rowGroupSize,
        CancellationToken cancellationToken = default)
    {
        var partitionOrdinals = partitionColumns.Select(tableSchema.IndexOf).ToArray();
        var dataOrdinals = Enumerable.Range(0, tableSchema.Count).Except(partitionOrdinals).ToArray();
        var dataSchema = new StructType(dataOrdinals.Select(o => tableSchema[o]));
        var arrowSchema = ArrowTypes.ToArrowSchema(dataSchema);

        // Partition folder → its rows from every batch, as data-column-only batches.
        var partitions = new Dictionary<string, (IReadOnlyDictionary<string, string?> Values, List<RecordBatch> Batches)>(StringComparer.Ordinal);
        foreach (var batch in batches.Where(b => b.Length > 0))
        {
            foreach (var group in PartitionSplitter.Split(batch, partitionOrdinals))
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < partitionColumns.Count; i++)
                {
                    // Like Spark, an empty string is stored as a NULL partition value (Hive cannot tell them apart).
                    var formatted = PartitionValues.Format(group.Values[i], tableSchema[partitionOrdinals[i]].Type);
                    values[partitionColumns[i]] = formatted is "" ? null : formatted;
                }

                var folder = PartitionPath.Build(partitionColumns, values);
                var part = group.Rows.Length == batch.Length
                    ? new RecordBatch(arrowSchema, dataOrdinals.Select(batch.Column), batch.Length)
                    : new RecordBatch(arrowSchema, dataOrdinals.Select(o => Gather.Take(batch.Column(o), group.Rows)), group.Rows.Length);
                if (!partitions.TryGetValue(folder, out var entry))
                {
                    partitions[folder] = entry = (values, []);
                }

                entry.Batches.Add(part);
            }
        }

        var adds = new List<AddFile>(partitions.Count);
        var fileIndex = 0;
        foreach (var (folder, (values, parts)) in partitions)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"part-{fileIndex++:D5}-{Guid.NewGuid()}.c000.snappy.parquet");
            var key = folder.Length == 0 ? name : $"{folder}/{name}";
            adds.Add(await WriteFileAsync(key, dataSchema, parts, values, rowGroupSize, cancellationToken).ConfigureAwait(false));
        }

        return adds;
    }

    private async Task<AddFile> WriteFileAsync(
        string key,
        StructType dataSchema,
        List<RecordBatch> parts,
        IReadOnlyDictionary<string, string?> partitionValues,
        int rowGroupSize,
        CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var result = await ParquetBatchWriter.WriteAsync(buffer, dataSchema, parts, new ParquetWriteOptions { RowGroupSize = rowGroupSize }, cancellationToken)
            .ConfigureAwait(false);
        buffer.Position = 0;
        var written = await store.WriteAsync(key, buffer, cancellationToken).ConfigureAwait(false);
        return new AddFile(
            DeltaPath.ToLogPath(key),
            partitionValues,
            written.Size,
            written.LastModified.ToUnixTimeMilliseconds(),
            DataChange: true,
            Stats: result.ToDeltaStatsJson(dataSchema));
    }
}
