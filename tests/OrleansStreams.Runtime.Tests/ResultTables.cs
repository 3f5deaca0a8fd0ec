using System.Text.Json.Nodes;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>Compares a sink table's rows (as DuckDB reads them) with DuckDB's own answer over all the input.</summary>
internal static class ResultTables
{
    /// <summary>
    /// The table must hold each key once (a key whose state was split over two partitions shows up twice), and
    /// exactly the expected rows. <paramref name="keyColumns"/> name the columns that identify a row.
    /// </summary>
    public static void AssertSame(IReadOnlyList<JsonObject> expected, IReadOnlyList<JsonObject> actual, params string[] keyColumns)
    {
        static string KeyOf(JsonObject row, string[] columns) => new JsonObject(columns.Select(c => KeyValuePair.Create(c, row[c]?.DeepClone()))).ToJsonString();

        var repeated = actual.GroupBy(r => KeyOf(r, keyColumns)).Where(g => g.Count() > 1).ToList();
        Assert.True(
            repeated.Count == 0,
            $"{repeated.Count} of {actual.Select(r => KeyOf(r, keyColumns)).Distinct().Count()} keys appear more than once in the table ({actual.Count} rows, {expected.Count} expected), e.g.\n"
            + string.Join("\n", repeated.Take(3).Select(g => $"{g.Key}: {string.Join(" | ", g.Select(r => r.ToJsonString()))} — expected {string.Join(" | ", expected.Where(e => KeyOf(e, keyColumns) == g.Key).Select(e => e.ToJsonString()))}")));
        JsonRows.AssertSameRows([.. expected], [.. actual], "the table against DuckDB over all the input");
    }
}
