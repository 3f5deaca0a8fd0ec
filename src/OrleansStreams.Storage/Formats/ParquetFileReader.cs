using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Formats;

/// <summary>Parquet files as a file source: columns by name, missing ones NULL.</summary>
public sealed class ParquetFileReader : IFileFormatReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(Stream input, StructType schema, string filePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        await foreach (var batch in ParquetBatchReader.ReadAsync(buffer, schema, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }
}
