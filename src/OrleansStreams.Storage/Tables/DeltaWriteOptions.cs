namespace OrleansStreams.Storage.Tables;

/// <summary>How a write replaces or extends the table.</summary>
public enum DeltaWriteMode
{
    /// <summary>Adds the new files; nothing already there changes (a blind append).</summary>
    Append,

    /// <summary>Removes every live file and adds the new ones, in one commit (complete output mode).</summary>
    Overwrite,
}

/// <summary>The options of one write, named after Spark's DataFrameWriter options for Delta.</summary>
public sealed record DeltaWriteOptions
{
    public DeltaWriteMode Mode { get; init; } = DeltaWriteMode.Append;

    /// <summary>Lets an append add columns the table lacks (at the end of the schema); without it they are refused.</summary>
    public bool MergeSchema { get; init; }

    /// <summary>
    /// Delta's idempotent-write pair (<c>txnAppId</c>/<c>txnVersion</c>): the commit records the pair, and a
    /// write whose version is not above the app's last committed one is skipped. The streaming sink uses
    /// its query id and batch id here.
    /// </summary>
    public string? TxnAppId { get; init; }

    public long? TxnVersion { get; init; }

    /// <summary>Set by the streaming sink: the commit is a <c>STREAMING UPDATE</c> with this output mode.</summary>
    public string? StreamingOutputMode { get; init; }

    /// <summary>Partition columns used when the write creates the table; must match the table's otherwise.</summary>
    public IReadOnlyList<string>? PartitionBy { get; init; }

    /// <summary>Rows per Parquet row group (and per write unit of the Parquet writer).</summary>
    public int RowGroupSize { get; init; } = 1_000_000;

    /// <summary>Spark's maxRecordsPerFile: most rows in one data file; 0 for no limit (files still roll at the table's delta.targetFileSize).</summary>
    public long MaxRecordsPerFile { get; init; }

    /// <summary>
    /// Auto compaction (table property <c>delta.autoOptimize.autoCompact</c>) compacts a partition the write added to once it
    /// holds this many files smaller than half of <see cref="AutoCompactMaxFileSize"/> (Spark setting <c>spark.databricks.delta.autoCompact.minNumFiles</c>).
    /// </summary>
    public int AutoCompactMinFiles { get; init; } = 50;

    /// <summary>The size auto compaction packs files to (Spark setting <c>spark.databricks.delta.autoCompact.maxFileSize</c>): 128 MB.</summary>
    public long AutoCompactMaxFileSize { get; init; } = 128L << 20;
}
