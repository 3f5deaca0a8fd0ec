using System.Text.Json;

namespace OrleansStreams.Storage.Delta;

/// <summary>Facts read from an add action's <c>stats</c> JSON.</summary>
public static class FileStats
{
    /// <summary>The rows the data file holds (<c>numRecords</c>, deletion vector or not); null when the stats do not say.</summary>
    public static long? NumRecords(AddFile file)
    {
        if (file.Stats is null)
        {
            return null;
        }

        using var stats = JsonDocument.Parse(file.Stats);
        return stats.RootElement.TryGetProperty("numRecords", out var records) && records.TryGetInt64(out var count) ? count : null;
    }

    /// <summary>The rows a reader sees in the file: <see cref="NumRecords"/> less those its deletion vector hides.</summary>
    public static long? LiveRecords(AddFile file) => NumRecords(file) - (file.DeletionVector?.Cardinality ?? 0);
}
