using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Auto Loader in directory-listing mode: each planning lists the source folder, logs the files not
/// seen before (a file by path is taken once, across restarts too), and a batch reads the files
/// numbered in its offset range. Offsets are file-log sequence numbers.
/// </summary>
public sealed class FileStreamSource : IStreamSource
{
    private readonly IObjectStore files;
    private readonly Regex? pathPattern;
    private readonly Regex? nameFilter;
    private readonly CloudFilesOptions options;
    private readonly FileLog log;
    private readonly IObjectStore sourceCheckpoint;
    private readonly StructType dataSchema;
    private readonly string timeZone;
    private readonly IFileSplitReader splitReader;

    /// <param name="files">The folder to list (the load path up to its first glob).</param>
    /// <param name="pattern">The glob below that folder, if the load path had one.</param>
    /// <param name="splitReader">Who decodes a batch's files (this process by default, or scan workers).</param>
    public FileStreamSource(IObjectStore files, string? pattern, StructType schema, CloudFilesOptions options, IObjectStore sourceCheckpoint, string timeZone = "UTC", IFileSplitReader? splitReader = null)
    {
        this.files = files;
        this.splitReader = splitReader ?? new LocalFileSplitReader(files);
        this.options = options;
        this.sourceCheckpoint = sourceCheckpoint;
        this.timeZone = timeZone;
        pathPattern = pattern is null ? null : PathGlob.ToRegex(pattern);
        nameFilter = options.PathGlobFilter is { } filter ? PathGlob.ToRegex(filter) : null;
        log = new FileLog(sourceCheckpoint);
        dataSchema = schema;
        Schema = new StructType(schema.Fields.Concat(options.PartitionColumns
                .Where(c => schema.IndexOf(c) < 0)
                .Select(c => new StructField(c, StringType.Instance)))
            .Append(FileMetadataColumn.Field));
    }

    public StructType Schema { get; }

    public string Description => $"CloudFilesSource[{files.Root}]";

    public FileLog Log => log;

    public async Task<string?> NextEndAsync(string? start, ReadLimit limit, string? upTo, CancellationToken cancellationToken)
    {
        await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var from = start is null ? await BaselineAsync(cancellationToken).ConfigureAwait(false) : long.Parse(start, CultureInfo.InvariantCulture);
        var ceiling = upTo is null ? log.LastSequence : long.Parse(upTo, CultureInfo.InvariantCulture);
        var end = from;
        long bytes = 0;
        var count = 0;
        foreach (var file in log.Range(from, ceiling))
        {
            if ((limit.MaxFiles is { } maxFiles && count >= maxFiles) || (limit.MaxBytes is { } maxBytes && count > 0 && bytes + file.Size > maxBytes))
            {
                break;
            }

            end = file.Sequence;
            bytes += file.Size;
            count++;
        }

        return end > from ? end.ToString(CultureInfo.InvariantCulture) : null;
    }

    public async IAsyncEnumerable<RecordBatch> ReadAsync(string? start, string end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await log.LoadAsync(cancellationToken).ConfigureAwait(false);
        var from = start is null ? await BaselineAsync(cancellationToken).ConfigureAwait(false) : long.Parse(start, CultureInfo.InvariantCulture);
        var spec = new FileSplitSpec(files.Root, options.Format, options.ReaderOptions, dataSchema, Schema, timeZone);
        await foreach (var batch in splitReader.ReadAsync(spec, log.Range(from, long.Parse(end, CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>Lists the folder and logs the new files that pass the filters.</summary>
    public async Task<int> DiscoverAsync(CancellationToken cancellationToken)
    {
        await log.LoadAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<(string, long, DateTimeOffset)>();
        await foreach (var page in files.ListAsync(string.Empty, options.RecursiveFileLookup ? ListOptions.Recursive : ListOptions.OneLevel, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Objects)
            {
                if (Accepts(item))
                {
                    found.Add((item.Key, item.Size, item.LastModified));
                }
            }
        }

        // Oldest first, so a rate-limited batch takes files in arrival order.
        return await log.AddAsync(found.OrderBy(f => f.Item3).ThenBy(f => f.Item1, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    private bool Accepts(ObjectProperties item)
    {
        var name = item.Key[(item.Key.LastIndexOf('/') + 1)..];
        return !name.StartsWith('_') && !name.StartsWith('.') // hidden and marker files (_SUCCESS, .crc) are not data
            && (pathPattern is null || PathGlob.Selects(pathPattern, item.Key))
            && (nameFilter is null || nameFilter.IsMatch(name))
            && (options.ModifiedAfter is not { } after || item.LastModified > after)
            && (options.ModifiedBefore is not { } before || item.LastModified < before);
    }

    /// <summary>
    /// Where processing starts: before the first file, or, with includeExistingFiles = false, after the
    /// files present when the stream first started (remembered in the checkpoint).
    /// </summary>
    private async Task<long> BaselineAsync(CancellationToken cancellationToken)
    {
        const string Key = "baseline";
        if (options.IncludeExistingFiles)
        {
            return -1;
        }

        try
        {
            return long.Parse(System.Text.Encoding.UTF8.GetString(await sourceCheckpoint.ReadAllAsync(Key, cancellationToken).ConfigureAwait(false)), CultureInfo.InvariantCulture);
        }
        catch (ObjectNotFoundException)
        {
            var baseline = log.LastSequence;
            await sourceCheckpoint.PutIfAbsentAsync(Key, System.Text.Encoding.UTF8.GetBytes(baseline.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return long.Parse(System.Text.Encoding.UTF8.GetString(await sourceCheckpoint.ReadAllAsync(Key, cancellationToken).ConfigureAwait(false)), CultureInfo.InvariantCulture);
        }
    }
}
