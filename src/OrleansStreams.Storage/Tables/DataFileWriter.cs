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

        // Each batch is split by partition on its own (in parallel); then partition folder → its rows in every batch.
        var splits = new IReadOnlyList<PartitionGroup>[batches.Count];
        // The thread pool explicitly: called from a grain, the current scheduler would run everything on the grain's one thread.
        Parallel.For(0, batches.Count, new ParallelOptions { CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Default }, b =>
            splits[b] = batches[b].Length == 0 ? [] : PartitionSplitter.Split(batches[b], partitionOrdinals));
        var partitions = new Dictionary<string, (IReadOnlyDictionary<string, string?> Values, List<(RecordBatch Batch, int[] Rows)> Parts)>(StringComparer.Ordinal);
        for (var b = 0; b < batches.Count; b++)
        {
            foreach (var group in splits[b])
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < partitionColumns.Count; i++)
                {
                    // Like Spark, an empty string is stored as a NULL partition value (Hive cannot tell them apart).
                    var formatted = PartitionValues.Format(group.Values[i], tableSchema[partitionOrdinals[i]].Type);
                    values[partitionColumns[i]] = formatted is "" ? null : formatted;
                }

                var folder = PartitionPath.Build(partitionColumns, values);
                if (!partitions.TryGetValue(folder, out var entry))
                {
                    partitions[folder] = entry = (values, []);
                }

                entry.Parts.Add((batches[b], group.Rows));
            }
        }

        // One file per partition, written as many at once as there are cores; the rows are gathered there, so
        // only the partitions being written are held twice.
        var files = partitions.Select((p, i) => (Key: FileKey(p.Key, i), p.Value.Values, p.Value.Parts)).ToList();
        var adds = new AddFile[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Default },
            async (i, token) =>
            {
                var (key, values, parts) = files[i];
                var rowGroups = RowGroups(arrowSchema, dataOrdinals, parts, rowGroupSize);
                adds[i] = await WriteFileAsync(key, dataSchema, rowGroups, values, rowGroupSize, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return adds;
    }

    private static string FileKey(string folder, int index)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{index:D5}-{Guid.NewGuid()}.c000.snappy.parquet");
        return folder.Length == 0 ? name : $"{folder}/{name}";
    }

    /// <summary>
    /// A partition's rows from every batch as row groups of up to <paramref name="rowGroupSize"/> rows (not one
    /// small row group per input batch); a batch that is wholly in the partition and alone is used as it is.
    /// </summary>
    private static List<RecordBatch> RowGroups(Schema arrowSchema, int[] dataOrdinals, List<(RecordBatch Batch, int[] Rows)> parts, int rowGroupSize)
    {
        if (parts.Count == 1 && parts[0].Rows.Length == parts[0].Batch.Length && parts[0].Batch.Length <= rowGroupSize)
        {
            var whole = parts[0].Batch;
            return [new RecordBatch(arrowSchema, dataOrdinals.Select(whole.Column), whole.Length)];
        }

        var groups = new List<RecordBatch>();
        var total = parts.Sum(p => p.Rows.Length);
        var part = 0;
        var inPart = 0;
        for (var start = 0; start < total; start += rowGroupSize)
        {
            var n = Math.Min(rowGroupSize, total - start);
            var which = new int[n];
            var rows = new int[n];
            for (var i = 0; i < n; i++, inPart++)
            {
                while (inPart == parts[part].Rows.Length)
                {
                    (part, inPart) = (part + 1, 0);
                }

                which[i] = part;
                rows[i] = parts[part].Rows[inPart];
            }

            groups.Add(new RecordBatch(arrowSchema, dataOrdinals.Select(o => Gather.Pick(parts.Select(p => p.Batch.Column(o)).ToList(), which, rows)), n));
        }

        return groups;
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
