namespace OrleansStreams.Storage.Formats;

/// <summary>The decoders by Spark format name.</summary>
public static class FileFormats
{
    public static readonly IReadOnlyList<string> Names = ["json", "csv", "text", "parquet"];

    public static IFileFormatReader Create(string format, FileFormatOptions options) => format.ToLowerInvariant() switch
    {
        "json" => new JsonLinesReader(options),
        "csv" => new CsvReader(options),
        "text" => new TextLinesReader(options),
        "parquet" => new ParquetFileReader(),
        _ => throw new ArgumentException($"Unknown file format '{format}': use one of {string.Join(", ", Names)}"),
    };
}
