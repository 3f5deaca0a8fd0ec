using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Spark's hidden <c>_metadata</c> column of file sources: it is read only when a query names it
/// (<c>SELECT _metadata.file_name</c>) and never appears in <c>*</c> or in a source's default output.
/// </summary>
public static class FileMetadataColumn
{
    public const string Name = "_metadata";

    public static readonly StructType Type = new(
        new StructField("file_path", StringType.Instance, false),
        new StructField("file_name", StringType.Instance, false),
        new StructField("file_size", LongType.Instance, false),
        new StructField("file_modification_time", TimestampType.Instance, false));

    public static readonly StructField Field = new(Name, Type, false);

    public static bool IsHidden(string column) => string.Equals(column, Name, StringComparison.OrdinalIgnoreCase);
}
