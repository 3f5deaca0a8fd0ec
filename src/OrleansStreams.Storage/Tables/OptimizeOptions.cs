using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Storage.Tables;

/// <summary>How <c>OPTIMIZE</c> bin-packs a table's small files (Delta's compaction settings).</summary>
public sealed record OptimizeOptions
{
    /// <summary>The Spark setting for <see cref="MaxFileSize"/>.</summary>
    public const string MaxFileSizeSetting = "spark.databricks.delta.optimize.maxFileSize";

    /// <summary>The Spark setting for <see cref="MinFileSize"/>.</summary>
    public const string MinFileSizeSetting = "spark.databricks.delta.optimize.minFileSize";

    /// <summary>OPTIMIZE's target when neither the option nor the table's <c>delta.targetFileSize</c> sets one: 1 GiB, as in Delta.</summary>
    public const long DefaultMaxFileSize = 1L << 30;

    /// <summary>The size a bin of files (and so a compacted file) grows to; null: the table's <c>delta.targetFileSize</c>, else 1 GiB.</summary>
    public long? MaxFileSize { get; init; }

    /// <summary>Files smaller than this are compacted; null: <see cref="MaxFileSize"/>.</summary>
    public long? MinFileSize { get; init; }

    /// <summary>A predicate on partition columns only (<c>OPTIMIZE t WHERE …</c>): partitions it rejects are left alone.</summary>
    public Expression? Where { get; init; }

    /// <summary>Only these partitions (keys as <c>TableOptimizer.PartitionOf</c> gives them); null for all. Auto compaction names the ones a write touched.</summary>
    public IReadOnlySet<string>? Partitions { get; init; }

    /// <summary>A partition is compacted only when it has at least this many small files (2: a bin of one file is left as it is).</summary>
    public int MinFilesPerPartition { get; init; } = 2;

    /// <summary>Marks the commit as auto compaction (<c>auto = true</c> in its operation parameters).</summary>
    public bool Auto { get; init; }
}
