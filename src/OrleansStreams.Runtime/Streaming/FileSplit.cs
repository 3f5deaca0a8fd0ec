using System.Runtime.CompilerServices;
using Apache.Arrow;
using Microsoft.Extensions.Logging;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Formats;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// What a file source needs to decode any of its files, wherever that happens (in the query, or on a
/// scan worker): the folder, the format and its options, the data schema and the source's output schema.
/// </summary>
public sealed record FileSplitSpec(string Folder, string Format, IReadOnlyDictionary<string, string> ReaderOptions, StructType DataSchema, StructType OutputSchema, string TimeZone);

/// <summary>Decodes files of a source into batches of its output schema: data columns, partition columns from the path, and <c>_metadata</c>.</summary>
public static class FileSplit
{
    public static async IAsyncEnumerable<RecordBatch> DecodeAsync(
        FileSplitSpec spec, IObjectStore folder, IEnumerable<DiscoveredFile> files, [EnumeratorCancellation] CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        var reader = FileFormats.Create(spec.Format, FileFormatOptions.Parse(spec.ReaderOptions, spec.TimeZone));
        var arrowSchema = ArrowTypes.ToArrowSchema(spec.OutputSchema);
        foreach (var file in files)
        {
            Stream content;
            try
            {
                content = new MemoryStream(await folder.ReadAllAsync(file.Key, cancellationToken).ConfigureAwait(false));
            }
            catch (ObjectNotFoundException)
            {
                // Deleted after discovery (e.g. between its event and this read): Auto Loader skips it (ignoreMissingFiles).
                logger?.LogWarning("File {Path} (file {Sequence} of the source) was deleted before it was read: skipped", $"{folder.Root.TrimEnd('/')}/{file.Key}", file.Sequence);
                continue;
            }

            var partitionValues = PartitionValuesOf(file.Key);
            var path = $"{folder.Root.TrimEnd('/')}/{file.Key}";
            var metadata = new object?[] { path, file.Key[(file.Key.LastIndexOf('/') + 1)..], file.Size, (file.ModificationTime.UtcTicks - DateTime.UnixEpoch.Ticks) / 10 };
            await foreach (var batch in reader.ReadAsync(content, spec.DataSchema, path, cancellationToken).ConfigureAwait(false))
            {
                var extra = spec.OutputSchema.Fields.Skip(spec.DataSchema.Count).SkipLast(1).Select(f => Columns.Repeat(partitionValues.GetValueOrDefault(f.Name), f.Type, batch.Length));
                var metadataColumn = Columns.Repeat(metadata, FileMetadataColumn.Type, batch.Length);
                yield return new RecordBatch(arrowSchema, Enumerable.Range(0, batch.ColumnCount).Select(batch.Column).Concat(extra).Append(metadataColumn), batch.Length);
            }
        }
    }

    /// <summary>key=value folders of the file's path (decoded as Hive escapes them).</summary>
    private static Dictionary<string, string?> PartitionValuesOf(string key)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in key.Split('/').SkipLast(1))
        {
            var eq = segment.IndexOf('=');
            if (eq > 0)
            {
                var value = PartitionPath.Unescape(segment[(eq + 1)..]);
                values[PartitionPath.Unescape(segment[..eq])] = value == PartitionPath.DefaultPartitionName ? null : value;
            }
        }

        return values;
    }
}

/// <summary>Reads a batch's files: here, or fanned out to scan workers.</summary>
public interface IFileSplitReader
{
    IAsyncEnumerable<RecordBatch> ReadAsync(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, CancellationToken cancellationToken);
}

/// <summary>Reads the files one after the other in this process.</summary>
public sealed class LocalFileSplitReader(IObjectStore folder) : IFileSplitReader
{
    public IAsyncEnumerable<RecordBatch> ReadAsync(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, CancellationToken cancellationToken) =>
        FileSplit.DecodeAsync(spec, folder, files, cancellationToken);
}
