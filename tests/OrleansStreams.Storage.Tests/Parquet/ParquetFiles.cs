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
