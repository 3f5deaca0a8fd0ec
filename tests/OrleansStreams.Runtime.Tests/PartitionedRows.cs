using System.Text.Json.Nodes;
using OrleansStreams.CrossProcess.TestHost;

namespace OrleansStreams.Runtime.Tests;

/// <summary>One input row of <see cref="PartitionedIngest"/> (its schema's columns), for writing JSON-lines files.</summary>
internal sealed record PartitionedRow(long Id, string? Name, DateOnly Day, double Score, DateTimeOffset At)
{
    /// <summary>Writes the rows as a JSON-lines file at <paramref name="path"/> (creating its folder).</summary>
    public static void Write(string path, IEnumerable<PartitionedRow> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, rows.Select(r => new JsonObject
        {
            ["id"] = r.Id,
            ["name"] = r.Name,
            ["day"] = r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["score"] = r.Score,
            ["at"] = r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }.ToJsonString()));
    }
}
