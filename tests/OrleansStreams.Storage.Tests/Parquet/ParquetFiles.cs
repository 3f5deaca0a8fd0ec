using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Tests.Parquet;

/// <summary>Writes batches to a Parquet file with our writer and reads one back with our reader.</summary>
internal static class ParquetFiles
{
    public static async Task<string> WriteAsync(string path, StructType schema, IReadOnlyList<RecordBatch> batches, int rowGroupSize = 1_000_000)
    {
        await using var file = File.Create(path);
        await ParquetBatchWriter.WriteAsync(file, schema, batches, new ParquetWriteOptions { RowGroupSize = rowGroupSize });
        return path;
    }

    /// <summary>
    /// The bytes of a file written by handing all <paramref name="batches"/> to the writer at once (so a row group may
    /// span them), and the Delta stats JSON of what it wrote.
    /// </summary>
    public static async Task<(byte[] File, string Stats)> WriteTogetherAsync(StructType schema, IReadOnlyList<RecordBatch> batches, int rowGroupSize)
    {
        using var buffer = new MemoryStream();
        var writer = await ParquetFileWriter.StartAsync(buffer, schema, new ParquetWriteOptions { RowGroupSize = rowGroupSize }, CancellationToken.None);
        await writer.AddAsync(batches, CancellationToken.None);
        var result = await writer.FinishAsync(CancellationToken.None);
        return (buffer.ToArray(), result.ToDeltaStatsJson(schema));
    }

    public static async Task<List<RecordBatch>> ReadAsync(string path, StructType schema)
    {
        await using var file = File.OpenRead(path);
        var batches = new List<RecordBatch>();
        await foreach (var batch in ParquetBatchReader.ReadAsync(file, schema))
        {
            batches.Add(batch);
        }

        return batches;
    }
}
