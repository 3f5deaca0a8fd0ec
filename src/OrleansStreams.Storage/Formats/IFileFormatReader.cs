using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Formats;

/// <summary>Decodes one file of a format into Arrow batches of a given schema.</summary>
public interface IFileFormatReader
{
    /// <param name="filePath">Named in errors about malformed records and in the rescued data.</param>
    /// <param name="report">Collects malformed records, rescued records and unknown fields; may be null.</param>
    IAsyncEnumerable<RecordBatch> ReadAsync(Stream input, StructType schema, string filePath, FileReadReport? report, CancellationToken cancellationToken = default);
}

/// <summary>Reading without a report.</summary>
public static class FileFormatReaderExtensions
{
    public static IAsyncEnumerable<RecordBatch> ReadAsync(this IFileFormatReader reader, Stream input, StructType schema, string filePath, CancellationToken cancellationToken = default) =>
        reader.ReadAsync(input, schema, filePath, null, cancellationToken);
}
