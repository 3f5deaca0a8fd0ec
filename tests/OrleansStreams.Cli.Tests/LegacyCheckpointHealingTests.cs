using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// A checkpoint written by the code before the stable key hash (tests/TestData/legacy-checkpoint: three runs in three
/// processes left 17 of 20 keys' state in two or three partitions, and the table with 51 rows for 21 keys) is healed
/// by the next run in a new process: its state is re-partitioned with equal keys merged, and the table then holds one
/// exact row per key over all the input, checked with DuckDB.
/// </summary>
public sealed class LegacyCheckpointHealingTests : IDisposable
{
    /// <summary>The absolute folder the fixture was generated in; two JSON files of it name it.</summary>
    private const string GeneratedRoot = "/tmp/os-legacy-fixture";

    private readonly TempDirectory folder = new("legacy-heal");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_checkpoint_split_over_partitions_by_the_old_hash_heals_into_one_exact_row_per_keyAsync()
    {
        CopyFixture();
        Assert.Equal(51, DuckDbDelta.ReadRows(folder.Combine("warehouse", "key_stats")).Count); // the fixture's duplicated rows

        CopyDrop(4);
        var run = await new CliProcess(folder.Path).RunAsync(
            "run", folder.Combine("pipeline.sql"), "--trigger", "available-now",
            "--warehouse", folder.Combine("warehouse"), "--checkpoint-root", folder.Combine("checkpoints"));
        Assert.True(run.ExitCode == 0, run.ToString());

        var actual = DuckDbDelta.ReadRows(folder.Combine("warehouse", "key_stats")).Select(r => r!.AsObject()).ToList();
        var expected = DuckDbQuery.Rows($$"""
            SELECT k, count(*) AS rows, sum(n) AS sum_n, min(n) AS min_n, max(n) AS max_n, avg(x) AS avg_x, sum(d) AS sum_d,
                   list_sort(list(s) FILTER (WHERE s IS NOT NULL)) AS list_s, list_sort(list(DISTINCT s) FILTER (WHERE s IS NOT NULL)) AS set_s,
                   count(DISTINCT s) AS distinct_s
            FROM read_json({{DuckDbQuery.Quote(folder.Combine("input", "*.json"))}},
                           columns = {k: 'VARCHAR', n: 'BIGINT', x: 'DOUBLE', d: 'DECIMAL(10,2)', s: 'VARCHAR', ts: 'TIMESTAMP'})
            GROUP BY k
            """).Select(r => r!.AsObject()).ToList();

        Assert.Equal(21, expected.Count);
        Assert.Equal(1360, expected.Sum(r => (long)r["rows"]!));
        Assert.Equal(expected.Select(Key).Order(), actual.Select(Key).Order()); // one row per key, NULL included
        foreach (var want in expected)
        {
            var got = actual.Single(r => Key(r) == Key(want));
            var key = Key(want);
            Assert.Equal((long)want["rows"]!, (long)got["rows"]!);
            Assert.Equal((long?)want["sum_n"], (long?)got["sum_n"]);
            Assert.Equal((long?)want["min_n"], (long?)got["min_n"]);
            Assert.Equal((long?)want["max_n"], (long?)got["max_n"]);
            Assert.Equal((double)want["avg_x"]!, (double)got["avg_x"]!, 9);
            Assert.True(Decimal(want["sum_d"]) == Decimal(got["sum_d"]), $"{key}: sum_d {got["sum_d"]}, expected {want["sum_d"]}");
            Assert.Equal(Strings(want["list_s"]), Strings(got["list_s"]).Order(StringComparer.Ordinal));
            Assert.Equal(Strings(want["set_s"]), Strings(got["set_s"]).Order(StringComparer.Ordinal));

            // A merged sketch is the sketch of all the rows; at these cardinalities HyperLogLog's linear counting is near exact.
            var distinct = (long)want["distinct_s"]!;
            Assert.True(Math.Abs((long)got["approx_s"]! - distinct) <= Math.Max(1, distinct / 20), $"{key}: approx_s {got["approx_s"]}, distinct {distinct}");
        }

        var scheme = JsonNode.Parse(File.ReadAllText(folder.Combine("checkpoints", "key_stats", "state", "scheme.json")))!;
        Assert.Equal("xxh3-64", (string?)scheme["hash"]);
        Assert.Equal("fnv1a-64", (string?)scheme["sketchHash"]); // sketches cannot be re-hashed: they keep theirs
        Assert.Equal(2, (long?)scheme["rebasedAt"]);
    }

    /// <summary>The fixture's root as its three runs left it, and the input they read (drops 1-3), made as if generated here.</summary>
    private void CopyFixture()
    {
        var source = Path.Combine(TestData.LegacyCheckpoint, "root");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = folder.Combine(Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var json in new[] { folder.Combine("checkpoints", "key_stats", "_grains", "query.json"), folder.Combine("warehouse", "_state", "queryregistry", "queries.registry.json") })
        {
            File.WriteAllText(json, File.ReadAllText(json).Replace(GeneratedRoot, folder.Path, StringComparison.Ordinal));
        }

        File.Copy(Path.Combine(TestData.LegacyCheckpoint, "pipeline.sql"), folder.Combine("pipeline.sql"));
        for (var drop = 1; drop <= 3; drop++)
        {
            CopyDrop(drop);
        }
    }

    private void CopyDrop(int drop)
    {
        Directory.CreateDirectory(folder.Combine("input"));
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.LegacyCheckpoint, $"drop-{drop}")))
        {
            File.Copy(file, folder.Combine("input", Path.GetFileName(file)));
        }
    }

    private static string Key(JsonObject row) => row["k"]?.GetValue<string>() ?? "<null>";

    private static decimal Decimal(JsonNode? value) => decimal.Parse(value!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static List<string> Strings(JsonNode? list) => list is JsonArray a ? a.Select(v => v!.GetValue<string>()).ToList() : [];
}
