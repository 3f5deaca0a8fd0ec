using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;

namespace OrleansStreams.Storage.Formats;

/// <summary>Parquet files as a file source: columns by name, missing ones NULL; columns the schema lacks are reported.</summary>
public sealed class ParquetFileReader : IFileFormatReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(
        Stream input, StructType schema, string filePath, FileReadReport? report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = input is MemoryStream { CanSeek: true } memory ? memory : await CopyAsync(input, cancellationToken).ConfigureAwait(false);
        if (report is not null)
        {
            var start = buffer.Position;
            foreach (var field in (await ParquetBatchReader.ReadSchemaAsync(buffer, cancellationToken).ConfigureAwait(false)).Where(f => schema.IndexOf(f.Name) < 0))
            {
                report.UnknownField(field.Name, 1);
            }

            buffer.Position = start;
        }

        await foreach (var batch in ParquetBatchReader.ReadAsync(buffer, schema, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    private static async Task<MemoryStream> CopyAsync(Stream input, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return buffer;
    }
}
