using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Bench;

/// <summary>
/// What every writer in the Parquet part is set to, taken from our writer's defaults: its row-group size, its codec
/// (snappy), PLAIN values with no dictionary (ours has none), and one thread.
/// </summary>
internal static class ParquetBenchSettings
{
    private static readonly ParquetWriteOptions Ours = new();

    public static int RowGroupRows => Ours.RowGroupSize;

    /// <summary>Parquet.Net's enum, which our options use.</summary>
    public static Parquet.CompressionMethod Compression => Ours.Compression;

    /// <summary>The writers, by the names the bench's child processes take.</summary>
    public static IParquetBenchWriter Writer(string name) => name switch
    {
        "ours" => new OursParquetBenchWriter(joinBeforehand: false),
        "ours-prejoined" => new OursParquetBenchWriter(joinBeforehand: true),
        "parquetsharp" => new ParquetSharpBenchWriter(),
        "parquetnet" => new ParquetNetBenchWriter(),
        _ => throw new ArgumentException($"unknown Parquet writer {name}"),
    };

    /// <summary>Ours twice: as the table writer drives it (a row group's batches as they are), and on row groups joined into one batch before the clock starts.</summary>
    public static readonly string[] Writers = ["ours", "ours-prejoined", "parquetsharp", "parquetnet"];
}
