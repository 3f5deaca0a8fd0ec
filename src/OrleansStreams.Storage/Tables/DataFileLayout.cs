using OrleansStreams.Engine.Common;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// How a write lays its rows out in data files, and how much it may buffer: a row group is encoded when a partition
/// has <see cref="RowGroupRows"/> rows or <see cref="RowGroupBytes"/> bytes waiting, or when all partitions together
/// hold <see cref="BufferBytes"/>; a file is closed at <see cref="TargetFileSize"/> bytes or <see cref="MaxRecordsPerFile"/> rows, or
/// when <see cref="MaxOpenFiles"/> others are open.
/// </summary>
public sealed record DataFileLayout
{
    /// <summary>The table property that sets <see cref="TargetFileSize"/> (Databricks' name for it).</summary>
    public const string TargetFileSizeProperty = "delta.targetFileSize";

    public const long DefaultTargetFileSize = 128L * 1024 * 1024;

    private static readonly long DefaultBufferBytes = MemoryBudget.Share(1.0 / 16, 4L << 20, 256L << 20);

    public int RowGroupRows { get; init; } = 1_000_000;

    /// <summary>Default: a quarter of <see cref="BufferBytes"/>.</summary>
    public long RowGroupBytes { get; init; } = DefaultBufferBytes / 4;

    /// <summary>Default: a sixteenth of the memory the process may use, between 4 MB and 256 MB.</summary>
    public long BufferBytes { get; init; } = DefaultBufferBytes;

    public long TargetFileSize { get; init; } = DefaultTargetFileSize;

    /// <summary>Files open at once; writing to another partition closes the one written least recently (a file each time, as in Spark's unsorted writes).</summary>
    public int MaxOpenFiles { get; init; } = 64;

    /// <summary>Spark's maxRecordsPerFile; 0 for no limit.</summary>
    public long MaxRecordsPerFile { get; init; }

    /// <summary>The layout of a write to a table with <paramref name="configuration"/> (its properties).</summary>
    public static DataFileLayout For(IReadOnlyDictionary<string, string> configuration, DeltaWriteOptions options) => new()
    {
        RowGroupRows = options.RowGroupSize,
        TargetFileSize = TargetFileSizeOf(configuration) ?? DefaultTargetFileSize,
        MaxRecordsPerFile = options.MaxRecordsPerFile,
    };

    /// <summary>The table's <c>delta.targetFileSize</c>, or null when it sets none.</summary>
    public static long? TargetFileSizeOf(IReadOnlyDictionary<string, string> configuration) =>
        configuration.TryGetValue(TargetFileSizeProperty, out var size) ? ByteSizeText.Parse(size, TargetFileSizeProperty) : null;
}
