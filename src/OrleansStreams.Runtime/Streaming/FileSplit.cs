using System.Runtime.CompilerServices;
using Apache.Arrow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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

/// <summary>
/// Decodes files of a source into batches of its output schema: data columns, partition columns from the path,
/// and <c>_metadata</c>. Bad input does not stop the stream where Auto Loader would go on: an empty file is
/// skipped, a file deleted after it was listed is skipped, malformed records follow the parse mode (or go to
/// badRecordsPath); each gets a log line naming the file. FAILFAST fails the batch naming the file and line.
/// </summary>
public static class FileSplit
{
    public static async IAsyncEnumerable<RecordBatch> DecodeAsync(
        FileSplitSpec spec,
        IObjectStore folder,
        IEnumerable<DiscoveredFile> files,
        FileSplitReport report,
        ILogger logger,
        Func<string, IObjectStore> stores,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = FileFormatOptions.Parse(spec.ReaderOptions, spec.TimeZone);
        var badRecords = spec.ReaderOptions.FirstOrDefault(o => o.Key.Equals("badRecordsPath", StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } bad
            ? new BadRecordsWriter(stores(bad))
            : null;
        var reader = FileFormats.Create(spec.Format, badRecords is null ? options : options with { Mode = ParseMode.DropMalformed });
        var arrowSchema = ArrowTypes.ToArrowSchema(spec.OutputSchema);
        foreach (var file in files)
        {
            var path = $"{folder.Root.TrimEnd('/')}/{file.Key}";
            byte[] bytes;
            try
            {
                bytes = await folder.ReadAllAsync(file.Key, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException)
            {
                // Deleted after discovery: Auto Loader skips it (ignoreMissingFiles).
                var written = badRecords is null ? null : await badRecords.WriteBadFileAsync(path, "the file was listed but no longer exists", cancellationToken).ConfigureAwait(false);
                logger.LogWarning("Skipped {File}: it was listed but no longer exists (deleted after discovery){BadRecords}", path, written is null ? string.Empty : $"; recorded in {written}");
                continue;
            }

            if (bytes.Length == 0)
            {
                logger.LogInformation("Skipped the empty file {File}", path);
                continue;
            }

            var fileReport = new FileReadReport { KeepBadRecords = badRecords is not null };
            var content = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
            var partitionValues = PartitionValuesOf(file.Key);
            var metadata = new object?[] { path, file.Key[(file.Key.LastIndexOf('/') + 1)..], file.Size, (file.ModificationTime.UtcTicks - DateTime.UnixEpoch.Ticks) / 10 };
            await foreach (var batch in reader.ReadAsync(content, spec.DataSchema, path, fileReport, cancellationToken).ConfigureAwait(false))
            {
                var extra = spec.OutputSchema.Fields.Skip(spec.DataSchema.Count).SkipLast(1).Select(f => Columns.Repeat(partitionValues.GetValueOrDefault(f.Name), f.Type, batch.Length));
                var metadataColumn = Columns.Repeat(metadata, FileMetadataColumn.Type, batch.Length);
                yield return new RecordBatch(arrowSchema, Enumerable.Range(0, batch.ColumnCount).Select(batch.Column).Concat(extra).Append(metadataColumn), batch.Length);
            }

            var badRecordsFile = badRecords is not null && fileReport.BadRecords.Count > 0
                ? await badRecords.WriteRecordsAsync(path, fileReport.BadRecords, cancellationToken).ConfigureAwait(false)
                : null;
            LogReport(logger, path, fileReport, options, badRecordsFile);
            foreach (var (name, line) in fileReport.UnknownFields)
            {
                report.NewField(name, new NewFieldSighting(path, line));
            }
        }
    }

    private static void LogReport(ILogger logger, string path, FileReadReport report, FileFormatOptions options, string? badRecordsFile)
    {
        if (report.FirstMalformed is { } first)
        {
            var outcome = badRecordsFile is not null ? $"written to {badRecordsFile} and left out of the stream"
                : options.Mode == ParseMode.DropMalformed ? "dropped (mode DROPMALFORMED)"
                : $"kept with NULL fields (mode PERMISSIVE; the record's text is in {options.CorruptRecordColumn} when the schema has that column)";
            logger.LogWarning("{Count} malformed record(s) in {File}, the first at line {Line}: {Reason}; {Outcome}", report.MalformedRecords, path, first.Line, first.Reason, outcome);
        }

        if (report.RescuedRecords > 0)
        {
            logger.LogInformation("{Count} record(s) in {File} had fields that do not fit the schema; they are kept in {Column}", report.RescuedRecords, path, options.RescuedDataColumn);
        }

        if (report.ReplacedInvalidUtf8Line is { } line)
        {
            logger.LogWarning("{File} has bytes that are not UTF-8, the first at line {Line}; they were read as U+FFFD", path, line);
        }

        if (report.UnknownFields.Count > 0)
        {
            logger.LogDebug("{File} has fields the schema lacks: {Fields}", path, string.Join(", ", report.UnknownFields.Keys));
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

/// <summary>Reads a batch's files: here, or fanned out to scan workers; what the decoding found goes to the report.</summary>
public interface IFileSplitReader
{
    IAsyncEnumerable<RecordBatch> ReadAsync(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, FileSplitReport report, CancellationToken cancellationToken);
}

/// <summary>Reads the files one after the other in this process.</summary>
/// <param name="stores">Opens the badRecordsPath location (with default storage options when not given).</param>
public sealed class LocalFileSplitReader(IObjectStore folder, ILogger? logger = null, Func<string, IObjectStore>? stores = null) : IFileSplitReader
{
    public IAsyncEnumerable<RecordBatch> ReadAsync(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, FileSplitReport report, CancellationToken cancellationToken) =>
        FileSplit.DecodeAsync(spec, folder, files, report, logger ?? NullLogger.Instance, stores ?? new ObjectStoreFactory(new StorageOptions()).Create, cancellationToken);
}
