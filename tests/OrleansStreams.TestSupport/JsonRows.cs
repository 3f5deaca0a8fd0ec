using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace OrleansStreams.TestSupport;

/// <summary>
/// Compares two sets of JSON rows as multisets (order ignored). Numbers compare numerically (floats
/// within float precision) and timestamps compare as instants, so the same value rendered by two
/// engines (<c>1.0</c> vs <c>1</c>, <c>+00</c> vs none) is equal.
/// </summary>
public static class JsonRows
{
    public static void AssertSameRows(IReadOnlyList<JsonNode?> expected, IReadOnlyList<JsonNode?> actual, string because)
    {
        Assert.True(expected.Count == actual.Count, $"{because}: expected {expected.Count} rows, got {actual.Count}");
        var remaining = actual.ToList();
        foreach (var row in expected)
        {
            var match = remaining.FindIndex(r => Same(row, r));
            Assert.True(match >= 0, $"{because}: row {row?.ToJsonString()} is missing; unmatched rows: {string.Join("\n", remaining.Take(5).Select(r => r?.ToJsonString()))}");
            remaining.RemoveAt(match);
        }
    }

    /// <summary>
    /// Like <see cref="AssertSameRows"/> for rows identified by <paramref name="keyColumns"/>: first, each key must
    /// appear once in <paramref name="actual"/> (a table that emits a group twice fails here, showing its rows).
    /// </summary>
    public static void AssertSameKeyedRows(IReadOnlyList<JsonObject> expected, IReadOnlyList<JsonObject> actual, string because, params string[] keyColumns)
    {
        string KeyOf(JsonObject row) => new JsonObject(keyColumns.Select(c => KeyValuePair.Create(c, row[c]?.DeepClone()))).ToJsonString();

        var repeated = actual.GroupBy(KeyOf).Where(g => g.Count() > 1).ToList();
        Assert.True(
            repeated.Count == 0,
            $"{because}: {repeated.Count} of {actual.Select(KeyOf).Distinct().Count()} keys appear more than once ({actual.Count} rows, {expected.Count} expected), e.g.\n"
            + string.Join("\n", repeated.Take(3).Select(g => $"{g.Key}: {string.Join(" | ", g.Select(r => r.ToJsonString()))} — expected {string.Join(" | ", expected.Where(e => KeyOf(e) == g.Key).Select(e => e.ToJsonString()))}")));
        AssertSameRows([.. expected], [.. actual], because);
    }

    public static bool Same(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var v) && Same(p.Value, v));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second));
            case (JsonValue x, JsonValue y):
                return SameScalar(x, y);
            default:
                return false;
        }
    }

    private static bool SameScalar(JsonValue x, JsonValue y)
    {
        if (AsNumber(x) is { } dx && AsNumber(y) is { } dy)
        {
            return dx == dy || Math.Abs(dx - dy) <= 1e-6 * Math.Max(Math.Abs(dx), Math.Abs(dy));
        }

        var sx = x.ToString();
        var sy = y.ToString();
        if (sx == sy)
        {
            return true;
        }

        return AsInstant(sx) is { } tx && AsInstant(sy) is { } ty && tx == ty;
    }

    private static double? AsNumber(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && !s.Contains(' ', StringComparison.Ordinal) ? parsed
        : null;

    private static DateTimeOffset? AsInstant(string text) =>
        text.Length >= 19 && text[4] == '-' && text[10] == ' '
        && DateTimeOffset.TryParse(text.EndsWith("+00", StringComparison.Ordinal) ? text + ":00" : text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;
}
