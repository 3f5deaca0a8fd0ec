using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansStreams.Runtime.Tests;

/// <summary>One input event of the cross-process scenarios: a unique id, a key index (0 … 49), an event time and a value.</summary>
internal sealed record StatefulEvent(long Id, int Key, DateTimeOffset Time, long Value);

/// <summary>
/// The JSON-lines input of the test host's stateful scenarios (the schema of its <c>Events</c>), written
/// deterministically, and the same files as DuckDB's <c>read_json</c> sees them. Every key column is derived from
/// the key index, so each of the 50 keys has one value of each type (string, binary, long, double, decimal, date,
/// timestamp, struct, and a string that is NULL for every fifth key).
/// </summary>
internal static class StatefulEvents
{
    public const int Keys = 50;

    /// <summary>The event time of the first round; round r's events lie in [r × 20 min, r × 20 min + 30 min) after it.</summary>
    public static readonly DateTimeOffset Start = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Round <paramref name="round"/>'s events, <paramref name="files"/> × <paramref name="rowsPerFile"/> of them with
    /// ids after the earlier rounds' (rounds hold at most 1,000): each 50 consecutive ids cover all keys, and times
    /// rise through the round and its files (no event is behind a watermark delayed 30 minutes or more).
    /// </summary>
    public static List<List<StatefulEvent>> Round(int round, int files, int rowsPerFile)
    {
        var count = files * rowsPerFile;
        return Enumerable.Range(0, files).Select(f => Enumerable.Range(f * rowsPerFile, rowsPerFile).Select(i =>
        {
            var id = (round * 1000L) + i;
            var time = Start + TimeSpan.FromMinutes(round * 20) + TimeSpan.FromSeconds(i * 1800L / count);
            return new StatefulEvent(id, (int)(id * 17 % Keys), time, (id * 7919 % 1009) - 300);
        }).ToList()).ToList();
    }

    /// <summary>Writes each list as one file of round <paramref name="round"/>, older modification times first (the order Auto Loader takes them).</summary>
    public static void Write(string folder, int round, IReadOnlyList<IReadOnlyList<StatefulEvent>> files)
    {
        Directory.CreateDirectory(folder);
        for (var f = 0; f < files.Count; f++)
        {
            var path = Path.Combine(folder, $"round{round:D2}-{f:D2}.json");
            File.WriteAllLines(path, files[f].Select(e => Json(e).ToJsonString()));
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-100 + f));
        }
    }

    /// <summary>Round <paramref name="round"/>'s events, written; returns them.</summary>
    public static List<List<StatefulEvent>> WriteRound(string folder, int round, int files, int rowsPerFile)
    {
        var events = Round(round, files, rowsPerFile);
        Write(folder, round, events);
        return events;
    }

    /// <summary>DuckDB's <c>read_json</c> of every input file in <paramref name="folder"/>, typed as the host's schema (binary b as its base64 text).</summary>
    public static string DuckDbScan(string folder) =>
        $"""
        read_json('{Path.Combine(folder, "*.json")}', format = 'newline_delimited', columns = {"{"}
            id: 'BIGINT', k: 'VARCHAR', b: 'VARCHAR', l: 'BIGINT', d: 'DOUBLE', m: 'DECIMAL(12,2)', dt: 'DATE', t: 'TIMESTAMPTZ',
            s: 'STRUCT(name VARCHAR, n BIGINT)', nk: 'VARCHAR', ts: 'TIMESTAMPTZ', v: 'BIGINT'{"}"})
        """;

    public static string KeyString(int key) => $"key-{key:D2}";

    private static JsonObject Json(StatefulEvent e)
    {
        var j = e.Key;
        return new JsonObject
        {
            ["id"] = e.Id,
            ["k"] = KeyString(j),
            ["b"] = Convert.ToBase64String([(byte)j, (byte)(255 - j), 0, (byte)(j * 37 % 256)]),
            ["l"] = (j - 25) * 1_000_000_007L,
            ["d"] = ((j - 25) / 8.0) + 0.1,
            ["m"] = JsonValue.Create((j - 25) * 12.34m),
            ["dt"] = new DateOnly(2024, 2, 20).AddDays(j).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["t"] = Timestamp(Start + TimeSpan.FromMinutes(j * 97) + TimeSpan.FromMilliseconds(j * 13_123)),
            ["s"] = new JsonObject { ["name"] = $"n{j % 10}", ["n"] = j / 10 },
            ["nk"] = j % 5 == 0 ? null : KeyString(j),
            ["ts"] = Timestamp(e.Time),
            ["v"] = e.Value,
        };
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
