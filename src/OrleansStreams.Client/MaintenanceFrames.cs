using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Client;

/// <summary>The result rows of <c>OPTIMIZE</c>, <c>VACUUM</c>, <c>DESCRIBE DETAIL</c> and <c>DESCRIBE HISTORY</c>, in the shape Delta's SQL gives them.</summary>
internal static class MaintenanceFrames
{
    private const string FileSizes = "struct<min: bigint, max: bigint, avg: double, totalFiles: bigint, totalSize: bigint>";

    public static readonly StructType OptimizeSchema = DdlParser.ParseSchema(
        $"path string, metrics struct<numFilesAdded: bigint, numFilesRemoved: bigint, filesAdded: {FileSizes}, filesRemoved: {FileSizes}, " +
        "partitionsOptimized: bigint, numBatches: bigint, totalConsideredFiles: bigint, totalFilesSkipped: bigint>");

    public static readonly StructType VacuumSchema = DdlParser.ParseSchema("path string");

    public static readonly StructType DetailSchema = DdlParser.ParseSchema(
        "format string, id string, name string, description string, location string, createdAt timestamp, lastModified timestamp, " +
        "partitionColumns array<string>, numFiles bigint, sizeInBytes bigint, properties map<string, string>, " +
        "minReaderVersion int, minWriterVersion int, tableFeatures array<string>");

    public static readonly StructType HistorySchema = DdlParser.ParseSchema(
        "version bigint, timestamp timestamp, operation string, operationParameters map<string, string>, readVersion bigint, isBlindAppend boolean");

    /// <summary>One row per commit still in the log, newest first, as <c>DESCRIBE HISTORY</c> gives them.</summary>
    public static RecordBatch History(IReadOnlyList<DeltaHistoryEntry> entries)
    {
        object?[][] columns =
        [
            [.. entries.Select(e => (object?)e.Version)],
            [.. entries.Select(e => Micros(e.Timestamp))],
            [.. entries.Select(e => (object?)e.CommitInfo?.Operation)],
            [.. entries.Select(e => (object?)e.CommitInfo?.OperationParameters)],
            [.. entries.Select(e => (object?)e.CommitInfo?.ReadVersion)],
            [.. entries.Select(e => (object?)e.CommitInfo?.IsBlindAppend)],
        ];
        return new RecordBatch(ArrowTypes.ToArrowSchema(HistorySchema), HistorySchema.Fields.Select((f, i) => Columns.FromScalars(f.Type, columns[i])), entries.Count);
    }

    public static RecordBatch Optimize(string location, OptimizeMetrics m) => Row(
        OptimizeSchema,
        location,
        new object?[]
        {
            m.NumFilesAdded, m.NumFilesRemoved, Sizes(m.FilesAdded), Sizes(m.FilesRemoved),
            (long)m.PartitionsOptimized, (long)m.NumBins, (long)m.TotalConsideredFiles, (long)m.TotalFilesSkipped,
        });

    /// <summary>A dry run lists the files it would delete; a real run gives the table's location, as Delta does.</summary>
    public static RecordBatch Vacuum(string location, VacuumResult result)
    {
        IReadOnlyList<object?> paths = result.DryRun ? [.. result.Files.Select(f => (object?)$"{location.TrimEnd('/')}/{f}")] : [location];
        return new RecordBatch(ArrowTypes.ToArrowSchema(VacuumSchema), [Columns.FromScalars(StringType.Instance, paths)], paths.Count);
    }

    public static RecordBatch Detail(TableDetail d) => Row(
        DetailSchema,
        d.Format,
        d.Id,
        d.Name,
        d.Description,
        d.Location,
        Micros(d.CreatedAt),
        Micros(d.LastModified),
        d.PartitionColumns.Cast<object?>().ToList(),
        d.NumFiles,
        d.SizeInBytes,
        d.Properties,
        d.MinReaderVersion,
        d.MinWriterVersion,
        d.TableFeatures.Cast<object?>().ToList());

    private static object?[] Sizes(FileSizeMetrics s) => [s.Min, s.Max, s.Avg, s.TotalFiles, s.TotalSize];

    private static object? Micros(DateTimeOffset? time) => time is { } t ? (t - DateTimeOffset.UnixEpoch).Ticks / 10 : null;

    private static RecordBatch Row(StructType schema, params object?[] values) =>
        new(ArrowTypes.ToArrowSchema(schema), schema.Fields.Select((f, i) => Columns.FromScalars(f.Type, [values[i]])), 1);
}
