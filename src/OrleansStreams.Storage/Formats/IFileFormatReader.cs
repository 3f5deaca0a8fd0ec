using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>Decodes one file of a format into Arrow batches of a given schema.</summary>
public interface IFileFormatReader
{
    /// <param name="filePath">Named in errors about malformed records.</param>
    IAsyncEnumerable<RecordBatch> ReadAsync(Stream input, StructType schema, string filePath, CancellationToken cancellationToken = default);
}
