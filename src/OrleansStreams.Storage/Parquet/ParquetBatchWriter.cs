using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>Writes a list of Arrow batches as one Parquet file (see <see cref="ParquetFileWriter"/>).</summary>
public static class ParquetBatchWriter
{
    public static async Task<ParquetWriteResult> WriteAsync(
        Stream output,
        StructType schema,
        IReadOnlyList<RecordBatch> batches,
        ParquetWriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var file = await ParquetFileWriter.StartAsync(output, schema, options ?? new ParquetWriteOptions(), cancellationToken).ConfigureAwait(false);
        foreach (var batch in batches)
        {
            await file.AddAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        return await file.FinishAsync(cancellationToken).ConfigureAwait(false);
    }
}
