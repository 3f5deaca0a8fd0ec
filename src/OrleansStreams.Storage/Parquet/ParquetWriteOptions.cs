namespace OrleansStreams.Storage.Parquet;

/// <summary>How batches are laid out in a Parquet file.</summary>
public sealed record ParquetWriteOptions
{
    /// <summary>Most rows in one row group; a larger batch is split.</summary>
    public int RowGroupSize { get; init; } = 1_000_000;

    public global::Parquet.CompressionMethod Compression { get; init; } = global::Parquet.CompressionMethod.Snappy;
}
