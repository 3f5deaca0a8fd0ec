using System.Text;

namespace OrleansStreams.Runtime.Tests;

/// <summary>Writes JSON-lines files of the seed's kafka-raw shape (key and value base64, timestamp in ms).</summary>
internal static class KafkaRawFiles
{
    public const string Schema = "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG";

    private static readonly string[] Topics = ["orders", "books", "customers"];

    /// <summary>File <paramref name="index"/> holds <paramref name="rows"/> records with offsets starting at index × rows.</summary>
    public static string Write(string folder, int index, int rows)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var offset = ((long)index * rows) + i;
            var topic = Topics[offset % 3];
            var timestamp = new DateTimeOffset(2022, 1 + (int)(offset % 5), 10, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() + offset;
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes($"k{offset}"));
            var value = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"id\":{offset}}}"));
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"key\":\"{key}\",\"value\":\"{value}\",\"topic\":\"{topic}\",\"partition\":{offset % 2},\"offset\":{offset},\"timestamp\":{timestamp}}}\n");
        }

        var path = Path.Combine(folder, $"part-{index:D4}.json");
        var hidden = Path.Combine(folder, $".part-{index:D4}.json.tmp"); // dot files are not data: never picked up half-written
        File.WriteAllText(hidden, text.ToString());
        File.Move(hidden, path);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-1000 + index));
        return path;
    }
}
