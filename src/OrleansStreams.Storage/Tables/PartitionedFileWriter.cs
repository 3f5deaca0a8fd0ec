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
/// Writes a table's rows as Parquet data files while they arrive, in Hive-style partition folders
/// (<c>topic=orders/year_month=2022-01/part-00000-….snappy.parquet</c>; partition columns live in the folder names, as
/// Delta requires). Each batch is split by partition and each partition's rows wait in a small buffer; a full buffer
/// (see <see cref="DataFileLayout"/>) becomes a row group of the partition's open file, and a file closes at its target
/// size. Open files are spooled to local temporary files and uploaded when they close, so memory is bounded by the
/// buffers, whatever the input's size. <see cref="FinishAsync"/> returns the <c>add</c> actions that will commit them.
/// </summary>
public sealed class PartitionedFileWriter : IAsyncDisposable
{
    private readonly IObjectStore store;
    private readonly StructType tableSchema;
    private readonly IReadOnlyList<string> partitionColumns;
    private readonly DataFileLayout layout;
    private readonly int[] partitionOrdinals;
    private readonly int[] dataOrdinals;
    private readonly StructType dataSchema;
    private readonly Schema arrowSchema;
    private readonly string spool = Path.Combine(Path.GetTempPath(), "orleans-streams-spool", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, Partition> partitions = new(StringComparer.Ordinal);
    private readonly List<AddFile> written = [];
    private long buffered;
    private int files;
    private int openFiles;
    private long writes;

    /// <param name="tableSchema">The schema of the batches to add: the table's columns in its order.</param>
    public PartitionedFileWriter(IObjectStore tableStore, StructType tableSchema, IReadOnlyList<string> partitionColumns, DataFileLayout? layout = null)
    {
        store = tableStore;
        this.tableSchema = tableSchema;
        this.partitionColumns = partitionColumns;
        this.layout = layout ?? new DataFileLayout();
        partitionOrdinals = partitionColumns.Select(tableSchema.IndexOf).ToArray();
        dataOrdinals = Enumerable.Range(0, tableSchema.Count).Except(partitionOrdinals).ToArray();
        dataSchema = new StructType(dataOrdinals.Select(o => tableSchema[o]));
        arrowSchema = ArrowTypes.ToArrowSchema(dataSchema);
    }

    /// <summary>Bytes of rows waiting in the buffers now.</summary>
    public long BufferedBytes => buffered;

    public async Task AddAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Length == 0)
        {
            return;
        }

        foreach (var group in PartitionSplitter.Split(batch, partitionOrdinals))
        {
            var partition = PartitionOf(group);
            var rows = group.Rows.Length == batch.Length
                ? new RecordBatch(arrowSchema, dataOrdinals.Select(batch.Column), batch.Length)
                : new RecordBatch(arrowSchema, dataOrdinals.Select(o => Gather.Take(batch.Column(o), group.Rows)), group.Rows.Length);
            var bytes = BatchBytes.Of(rows);
            partition.Pending.Add(rows);
            partition.PendingRows += rows.Length;
            partition.PendingBytes += bytes;
            buffered += bytes;
            if (partition.PendingRows >= layout.RowGroupRows || partition.PendingBytes >= layout.RowGroupBytes)
            {
                await FlushAsync(partition, cancellationToken).ConfigureAwait(false);
            }
        }

        while (buffered > layout.BufferBytes)
        {
            await FlushAsync(partitions.Values.MaxBy(p => p.PendingBytes)!, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes what waits and closes every file; returns the files written, as add actions.</summary>
    public async Task<IReadOnlyList<AddFile>> FinishAsync(CancellationToken cancellationToken)
    {
        foreach (var partition in partitions.Values)
        {
            await FlushAsync(partition, cancellationToken).ConfigureAwait(false);
            await CloseAsync(partition, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var partition in partitions.Values)
        {
            if (partition.File is { } file)
            {
                await file.Spool.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    private Partition PartitionOf(PartitionGroup group)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < partitionColumns.Count; i++)
        {
            // Like Spark, an empty string is stored as a NULL partition value (Hive cannot tell them apart).
            var formatted = PartitionValues.Format(group.Values[i], tableSchema[partitionOrdinals[i]].Type);
            values[partitionColumns[i]] = formatted is "" ? null : formatted;
        }

        var folder = PartitionPath.Build(partitionColumns, values);
        if (!partitions.TryGetValue(folder, out var partition))
        {
            partitions[folder] = partition = new Partition(folder, values);
        }

        return partition;
    }

    /// <summary>The partition's waiting rows as one row group (split where a file reaches maxRecordsPerFile).</summary>
    private async Task FlushAsync(Partition partition, CancellationToken cancellationToken)
    {
        if (partition.PendingRows == 0)
        {
            return;
        }

        // The buffered batches go to the writer as they are: it encodes a row group from each in turn, so they are
        // never copied into one batch (that copy took longer than the encoding).
        var pending = partition.Pending;
        var total = partition.PendingRows;
        buffered -= partition.PendingBytes;
        (partition.Pending, partition.PendingRows, partition.PendingBytes) = ([], 0, 0);

        for (long offset = 0; offset < total;)
        {
            if (partition.File is null && openFiles >= layout.MaxOpenFiles)
            {
                await CloseAsync(partitions.Values.Where(p => p.File is not null).MinBy(p => p.LastWrite)!, cancellationToken).ConfigureAwait(false);
            }

            var file = partition.File ??= await OpenAsync(partition, cancellationToken).ConfigureAwait(false);
            partition.LastWrite = ++writes;
            var room = layout.MaxRecordsPerFile > 0 ? layout.MaxRecordsPerFile - file.Writer.Rows : long.MaxValue;
            var count = Math.Min(room, total - offset);
            await file.Writer.AddAsync(offset == 0 && count == total ? pending : BatchSlices.Take(pending, offset, count), cancellationToken).ConfigureAwait(false);
            offset += count;
            if (file.Writer.Position >= layout.TargetFileSize || (layout.MaxRecordsPerFile > 0 && file.Writer.Rows >= layout.MaxRecordsPerFile))
            {
                await CloseAsync(partition, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<OpenFile> OpenAsync(Partition partition, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(spool);
        var name = string.Create(CultureInfo.InvariantCulture, $"part-{files++:D5}-{Guid.NewGuid()}.c000.snappy.parquet");
        var key = partition.Folder.Length == 0 ? name : $"{partition.Folder}/{name}";
        var spooled = new FileStream(Path.Combine(spool, name), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var writer = await ParquetFileWriter.StartAsync(spooled, dataSchema, new ParquetWriteOptions { RowGroupSize = layout.RowGroupRows }, cancellationToken).ConfigureAwait(false);
        openFiles++;
        return new OpenFile(key, spooled, writer);
    }

    private async Task CloseAsync(Partition partition, CancellationToken cancellationToken)
    {
        if (partition.File is not { } file)
        {
            return;
        }

        partition.File = null;
        openFiles--;
        await using (file.Spool.ConfigureAwait(false))
        {
            var result = await file.Writer.FinishAsync(cancellationToken).ConfigureAwait(false);
            file.Spool.Position = 0;
            var stored = await store.WriteAsync(file.Key, file.Spool, cancellationToken).ConfigureAwait(false);
            written.Add(new AddFile(
                DeltaPath.ToLogPath(file.Key),
                partition.Values,
                stored.Size,
                stored.LastModified.ToUnixTimeMilliseconds(),
                DataChange: true,
                Stats: result.ToDeltaStatsJson(dataSchema)));
        }
    }

    private sealed class Partition(string folder, IReadOnlyDictionary<string, string?> values)
    {
        public string Folder { get; } = folder;

        public IReadOnlyDictionary<string, string?> Values { get; } = values;

        public List<RecordBatch> Pending { get; set; } = [];

        public int PendingRows { get; set; }

        public long PendingBytes { get; set; }

        public OpenFile? File { get; set; }

        /// <summary>When a row group last went to the partition's file (a count of writes).</summary>
        public long LastWrite { get; set; }
    }

    private sealed record OpenFile(string Key, FileStream Spool, ParquetFileWriter Writer);
}
