using System.Buffers.Text;
using System.Text;

namespace OrleansStreams.Bench;

/// <summary>
/// Generated JSON-lines files of the seed's kafka-raw shape (base64 key and value, topic, partition,
/// offset, epoch-millisecond timestamp); <see cref="Generate"/> writes 10,000 records a file. Timestamps
/// advance evenly over about a year whatever the size, so the bronze table has the same ~40 topic/month
/// partitions in every run. Nothing is random: a file's bytes follow from its first row, count and step.
/// </summary>
internal static class KafkaRawFiles
{
    public const int RowsPerFile = 10_000;
    private const long BytesPerRowEstimate = 178;
    private const long StartMs = 1_640_995_200_000L; // 2022-01-01T00:00:00Z
    private const long YearMs = 365L * 24 * 3600 * 1000;
    private static readonly string[] Topics = ["orders", "books", "customers"];

    /// <summary>Writes files into <paramref name="folder"/> until they hold at least <paramref name="targetBytes"/>.</summary>
    public static (long Bytes, long Rows, int Files) Generate(string folder, long targetBytes)
    {
        Directory.CreateDirectory(folder);
        var stepMs = StepMs(targetBytes / BytesPerRowEstimate);
        long bytes = 0, rows = 0;
        var files = 0;
        for (; bytes < targetBytes; files++)
        {
            var content = File(rows, RowsPerFile, stepMs);
            System.IO.File.WriteAllBytes(Path.Combine(folder, $"part-{files:D5}.json"), content);
            bytes += content.Length;
            rows += RowsPerFile;
        }

        return (bytes, rows, files);
    }

    /// <summary>The gap between two rows' timestamps that spreads <paramref name="rows"/> rows over about a year.</summary>
    public static long StepMs(long rows) => Math.Max(1, YearMs / Math.Max(1, rows));

    /// <summary>One small file in <paramref name="folder"/>, for warming an engine up before it is timed.</summary>
    public static void WriteWarmUp(string folder)
    {
        Directory.CreateDirectory(folder);
        System.IO.File.WriteAllBytes(Path.Combine(folder, "part-0.json"), File(0, 1000, 1000));
    }

    /// <summary>The records numbered from <paramref name="firstRow"/>: each row's offset is its number.</summary>
    public static byte[] File(long firstRow, int count, long stepMs)
    {
        var text = new StringBuilder(count * 190);
        Span<byte> raw = stackalloc byte[128];
        Span<byte> encoded = stackalloc byte[192];
        for (var row = firstRow; row < firstRow + count; row++)
        {
            text.Append("{\"key\":\"").Append(ToBase64(raw, encoded, $"key-{row}")).Append("\",\"value\":\"")
                .Append(ToBase64(raw, encoded, $"{{\"order_id\":{row},\"customer\":\"C{row % 977:D4}\",\"quantity\":{(row % 5) + 1}}}"))
                .Append("\",\"topic\":\"").Append(Topics[row % 3]).Append("\",\"partition\":").Append(row % 4)
                .Append(",\"offset\":").Append(row).Append(",\"timestamp\":").Append(StartMs + (row * stepMs)).Append("}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string ToBase64(Span<byte> raw, Span<byte> encoded, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, raw);
        Base64.EncodeToUtf8(raw[..length], encoded, out _, out var written);
        return Encoding.ASCII.GetString(encoded[..written]);
    }
}
