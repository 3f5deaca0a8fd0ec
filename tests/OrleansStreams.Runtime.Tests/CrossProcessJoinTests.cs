using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A stream–static join (the events on k with a static Delta table of labels and weights), run as five processes in
/// a row with new input before each: the table must hold DuckDB's join of all the input with the static table.
/// </summary>
public sealed class CrossProcessJoinTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-join");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task The_joined_table_equals_the_join_over_all_input_across_processesAsync()
    {
        var host = new ScenarioProcesses("stream-static-join", temp);
        var keys = temp.Combine("keys");
        await WriteKeysAsync(host.Warehouse, keys);

        await host.RunRoundsAsync(5, round => StatefulEvents.WriteRound(host.Input, round, files: 2, rowsPerFile: 100));

        var expected = DuckDbQuery.Rows($"""
            SELECT e.id, e.k, e.v, s.label, e.v * s.weight AS weighted
            FROM {StatefulEvents.DuckDbScan(host.Input)} e JOIN {DuckDbDelta.Scan(keys)} s ON e.k = s.k
            """);
        var actual = DuckDbQuery.Rows($"SELECT id, k, v, label, weighted FROM {DuckDbDelta.Scan(host.Table)}");
        Assert.InRange(expected.Count, 1, DuckDbQuery.Rows($"SELECT id FROM {StatefulEvents.DuckDbScan(host.Input)}").Count - 1); // some events match, some do not
        JsonRows.AssertSameKeyedRows(expected, actual, "the table against DuckDB over all the input", "id");
    }

    /// <summary>The static table <c>keys</c>: every even key of the events, and five keys no event has.</summary>
    private static async Task WriteKeysAsync(string warehouse, string location)
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = warehouse });
        var schema = DdlParser.ParseSchema("k STRING, label STRING, weight LONG");
        var rows = Enumerable.Range(0, StatefulEvents.Keys).Where(j => j % 2 == 0).Concat(Enumerable.Range(100, 5))
            .Select(j => new object?[] { StatefulEvents.KeyString(j), $"label-{j}", (long)j + 1 }).ToList();
        var table = new DeltaTable(spark.Catalog.OpenStore(await spark.Catalog.CreateAsync("keys", location)));
        await table.WriteAsync(schema, [RecordBatches.Of(schema, rows)]);
    }
}
