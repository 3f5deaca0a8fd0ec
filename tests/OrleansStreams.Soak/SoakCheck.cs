using System.Globalization;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Soak;

/// <summary>
/// The exactly-once check, by DuckDB on a local copy of the tables (an independent reader, which has no Azure access
/// offline): <c>bronze</c> holds ids 0 … n − 1 once each, and <c>totals</c> holds every key's row count and amount sum
/// over all the input.
/// </summary>
public static class SoakCheck
{
    /// <returns>Whether both tables are exact; what was found goes to <paramref name="report"/>.</returns>
    public static async Task<bool> RunAsync(IObjectStore direct, string localFolder, SoakInput input, SoakReport report)
    {
        var bronze = await LocalCopy.OfAsync(new ScopedObjectStore(direct, "warehouse/bronze"), Path.Combine(localFolder, "bronze"));
        var totals = await LocalCopy.OfAsync(new ScopedObjectStore(direct, "warehouse/totals"), Path.Combine(localFolder, "totals"));

        var n = input.Rows;
        var (rows, distinct, sum) = DuckDbDelta.Totals(bronze, "id");
        var bronzeExact = (rows, distinct, sum) == (n, n, n * (n - 1) / 2);
        report.Line(Invariant($"DuckDB, bronze: {rows} rows, {distinct} distinct ids, sum {sum}; expected {n}, {n}, {n * (n - 1) / 2}: ") +
            (bronzeExact ? "exact" : Invariant($"{n - distinct} rows lost, {rows - distinct} duplicated")));

        var expected = input.ExpectedTotals();
        var found = DuckDbQuery.Rows($"SELECT key, \"rows\", amount FROM {DuckDbDelta.Scan(totals)} ORDER BY key")
            .ToDictionary(r => r["key"]!.GetValue<string>(), r => (Count: Whole(r["rows"]), Sum: Whole(r["amount"])), StringComparer.Ordinal);
        var wrong = expected.Where(e => !found.TryGetValue(e.Key, out var f) || f != e.Value).Select(e => e.Key)
            .Concat(found.Keys.Where(k => !expected.ContainsKey(k))).ToList();
        report.Line(Invariant($"DuckDB, totals: {found.Count} keys, {found.Values.Sum(f => f.Count)} rows counted, amounts {found.Values.Sum(f => f.Sum)}; expected {expected.Count}, {n}, {expected.Values.Sum(e => e.Sum)}: ") +
            (wrong.Count == 0 ? "exact" : "wrong for " + string.Join(", ", wrong.Select(k => Describe(k, expected, found)))));
        return bronzeExact && wrong.Count == 0;
    }

    private static string Describe(string key, IDictionary<string, (long, long)> expected, Dictionary<string, (long Count, long Sum)> found) =>
        Invariant($"{key} (found {(found.TryGetValue(key, out var f) ? f.ToString() : "nothing")}, expected {(expected.TryGetValue(key, out var e) ? e.ToString() : "nothing")})");

    // DuckDB's bigint comes back as a JSON number or, past 2^53, as a string.
    private static long Whole(System.Text.Json.Nodes.JsonNode? node) => long.Parse(node!.ToString(), CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
