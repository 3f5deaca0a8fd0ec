using OrleansStreams.Engine.Batches;
using ParquetSharp;
using ParquetSharp.Arrow;

namespace OrleansStreams.Bench;

/// <summary>
/// ParquetSharp's Arrow writer (Arrow C++'s Parquet writer, our batches passed through the C data interface), in
/// buffered mode: the batches go into the open row group until it holds the row-group size, so no concatenation.
/// </summary>
internal sealed class ParquetSharpBenchWriter : IParquetBenchWriter
{
    public Task<double> WriteAsync(string path, ParquetBenchCase input)
    {
        using var properties = new WriterPropertiesBuilder()
            .Compression(ParquetBenchSettings.Compression switch
            {
                Parquet.CompressionMethod.Snappy => Compression.Snappy,
                Parquet.CompressionMethod.None => Compression.Uncompressed,
                var other => throw new NotSupportedException($"no ParquetSharp codec set for {other}"),
            })
            .DisableDictionary()
            .MaxRowGroupLength(ParquetBenchSettings.RowGroupRows)
            .Build();
        using var arrowProperties = new ArrowWriterPropertiesBuilder().UseThreads(false).Build();
        using var writer = new FileWriter(path, ArrowTypes.ToArrowSchema(input.Schema), properties, arrowProperties);
        foreach (var batch in input.Batches)
        {
            writer.WriteBufferedRecordBatch(batch);
        }

        writer.Close();
        return Task.FromResult(0.0);
    }
}
