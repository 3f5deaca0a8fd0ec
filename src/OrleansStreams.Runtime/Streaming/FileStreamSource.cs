using System.Globalization;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming.Schemas;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Auto Loader in directory-listing mode: each planning asks the discovery (local, or the source's
/// discovery grain) to log the files not seen before — a file by path is taken once, across restarts
/// too — and a batch reads the files numbered in its offset range. Offsets are file-log sequence numbers.
/// A batch whose files hold fields the schema lacks fails before it is used when the schema's evolution mode says so.
/// </summary>
public sealed class FileStreamSource : IStreamSource, IDisposable
{
    private readonly IFileDiscovery discovery;
    private readonly IFileSplitReader splitReader;
    private readonly FileSplitSpec split;
    private readonly CloudFilesSchema schema;

    /// <param name="dataSchema">The columns in the files (the user's schema).</param>
    public FileStreamSource(IFileDiscovery discovery, IFileSplitReader splitReader, string folder, StructType dataSchema, CloudFilesOptions options, string timeZone = "UTC")
        : this(discovery, splitReader, folder, CloudFilesSchema.Given(dataSchema, options), options, timeZone)
    {
    }

    /// <param name="schema">The columns in the files (given or inferred) and what to do with fields they lack.</param>
    public FileStreamSource(IFileDiscovery discovery, IFileSplitReader splitReader, string folder, CloudFilesSchema schema, CloudFilesOptions options, string timeZone = "UTC")
    {
        this.discovery = discovery;
        this.splitReader = splitReader;
        this.schema = schema;
        var dataSchema = schema.DataSchema;
        Schema = new StructType(dataSchema.Fields.Concat(options.PartitionColumns
                .Where(c => dataSchema.IndexOf(c) < 0)
                .Select(c => new StructField(c, StringType.Instance)))
            .Append(FileMetadataColumn.Field));
        split = new FileSplitSpec(folder, options.Format, schema.ReaderOptions, dataSchema, Schema, timeZone);
        Description = $"CloudFilesSource[{folder}]";
    }

    public StructType Schema { get; }

    public string Description { get; }

    /// <summary>The changes in the source folder when it is local and watched; otherwise the query polls it.</summary>
    public FolderChanges? Changes { get; init; }

    public long? ChangeVersion => Changes?.Version;

    public void Dispose() => Changes?.Dispose();

    public IReadOnlyDictionary<string, long>? Metrics { get; private set; }

    public async Task<string?> NextEndAsync(string? start, ReadLimit limit, string? upTo, CancellationToken cancellationToken)
    {
        await discovery.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var from = start is null ? await discovery.BaselineAsync(cancellationToken).ConfigureAwait(false) : long.Parse(start, CultureInfo.InvariantCulture);
        var ceiling = upTo is null ? await discovery.LastSequenceAsync(cancellationToken).ConfigureAwait(false) : long.Parse(upTo, CultureInfo.InvariantCulture);
        var end = from;
        long bytes = 0;
        var count = 0;
        foreach (var file in await discovery.RangeAsync(from, ceiling, limit.MaxFiles, cancellationToken).ConfigureAwait(false))
        {
            if (limit.MaxBytes is { } maxBytes && count > 0 && bytes + file.Size > maxBytes)
            {
                break;
            }

            end = file.Sequence;
            bytes += file.Size;
            count++;
        }

        // Sequences are dense, so the files logged past this batch's end are the backlog.
        var last = upTo is null ? ceiling : await discovery.LastSequenceAsync(cancellationToken).ConfigureAwait(false);
        Metrics = new Dictionary<string, long>
        {
            [StreamSourceMetrics.FilesOutstanding] = Math.Max(0, last - end),
            [StreamSourceMetrics.BytesOutstanding] = await discovery.BytesAsync(end, last, cancellationToken).ConfigureAwait(false),
        };
        return end > from ? end.ToString(CultureInfo.InvariantCulture) : null;
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(string? start, string end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = start is null ? await discovery.BaselineAsync(cancellationToken).ConfigureAwait(false) : long.Parse(start, CultureInfo.InvariantCulture);
        var files = await discovery.RangeAsync(from, long.Parse(end, CultureInfo.InvariantCulture), null, cancellationToken).ConfigureAwait(false);
        var report = new FileSplitReport();
        await foreach (var batch in splitReader.ReadAsync(split, files, report, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }

        // New fields stop the stream (addNewColumns after recording the wider schema). The rows went on as they were
        // read, so a batch streams in bounded memory; this failure comes before the sink commits any of them.
        if (report.NewFields.Count > 0 && await schema.NewFieldsAsync(files, report.NewFields, cancellationToken).ConfigureAwait(false) is { } stop)
        {
            throw stop;
        }
    }
}
