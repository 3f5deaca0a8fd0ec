using OrleansStreams.Client;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// approx_count_distinct and collect_set per key in complete mode into a Delta table (state on the aggregation
/// partition grains), each run as five processes in a row with new input before each.
/// </summary>
public sealed class CrossProcessDistinctValueTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-distinct");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Approx_count_distinct_equals_one_batch_query_over_all_input_across_processesAsync()
    {
        var host = new ScenarioProcesses("approx-distinct", temp);
        await host.RunRoundsAsync(5, round => StatefulEvents.WriteRound(host.Input, round, files: 2, rowsPerFile: 100));
        var actual = DuckDbQuery.Rows($"SELECT k, distinct_v FROM {DuckDbDelta.Scan(host.Table)}");

        // The sketch hashes values with a fixed hash and merges by register maxima: one batch query over all the
        // input builds the same sketches as the batches did.
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = host.Warehouse, RunQueriesOnSilo = false });
        var batch = spark.Read.Format("json").Schema(TestHost.Scenarios.Events.Schema).Load(host.Input)
            .GroupBy("k").Agg(ApproxCountDistinct(Col("v")).Alias("distinct_v"));
        var ours = RowJson.Render(await spark.CollectAsync(batch));
        JsonRows.AssertSameKeyedRows(ours, actual, "the table against one batch query over all the input", "k");

        // And within the sketch's error (relative standard deviation 0.05; three of them) of DuckDB's exact count.
        var exact = DuckDbQuery.Rows($"SELECT k, count(DISTINCT v) AS exact FROM {StatefulEvents.DuckDbScan(host.Input)} GROUP BY k")
            .ToDictionary(r => r["k"]!.ToString(), r => double.Parse(r["exact"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(StatefulEvents.Keys, exact.Count);
        Assert.All(actual, r =>
        {
            var estimate = double.Parse(r["distinct_v"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var truth = exact[r["k"]!.ToString()];
            Assert.True(Math.Abs(estimate - truth) <= 0.15 * truth, $"{r["k"]}: estimate {estimate}, exact {truth}");
        });
    }

    [Fact]
    public async Task Collect_set_equals_the_distinct_values_over_all_input_across_processesAsync()
    {
        var host = new ScenarioProcesses("collect-set", temp);
        await host.RunRoundsAsync(5, round => StatefulEvents.WriteRound(host.Input, round, files: 2, rowsPerFile: 100));

        var expected = DuckDbQuery.Rows($"SELECT k, list_sort(list(DISTINCT v)) AS vs FROM {StatefulEvents.DuckDbScan(host.Input)} GROUP BY k");
        var actual = DuckDbQuery.Rows($"SELECT k, list_sort(vs) AS vs FROM {DuckDbDelta.Scan(host.Table)}");
        JsonRows.AssertSameKeyedRows(expected, actual, "the table against DuckDB over all the input", "k");
    }
}
