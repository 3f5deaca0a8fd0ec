using System.Text;
using OrleansStreams.Bookstore;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Small kafka-raw files for tests, written with the bookstore's kafka-raw writer. The records follow a plain
/// arithmetic pattern (offset = index × rows + i) so tests can predict counts, topics and months.
/// </summary>
internal static class KafkaRawFiles
{
    public const string Schema = KafkaRawJson.Schema;

    private static readonly string[] Topics = ["orders", "books", "customers"];

    /// <summary>File <paramref name="index"/> holds <paramref name="rows"/> records with offsets starting at index × rows.</summary>
    public static string Write(string folder, int index, int rows)
    {
        var records = Enumerable.Range(0, rows).Select(i =>
        {
            var offset = ((long)index * rows) + i;
            var timestamp = new DateTimeOffset(2022, 1 + (int)(offset % 5), 10, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() + offset;
            return new KafkaRecord(Encoding.UTF8.GetBytes($"k{offset}"), Encoding.UTF8.GetBytes($"{{\"id\":{offset}}}"), Topics[offset % 3], offset % 2, offset, timestamp);
        });
        var path = KafkaRawJson.Write(Path.Combine(folder, $"part-{index:D4}.json"), records);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-1000 + index)); // files sort by index in listings by time
        return path;
    }
}
