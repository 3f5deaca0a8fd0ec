using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Runs a test host <c>grouped-*</c> scenario (count and sum per key, complete mode, Delta sink: on grains, with the
/// groups on the aggregation partition grains) as five rounds of new input, each run by a new process, and checks
/// the table against DuckDB's count and sum per key over all the input.
/// </summary>
internal static class CountsPerKey
{
    /// <param name="tableKey">The key column as DuckDB renders it from the table.</param>
    /// <param name="inputKey">The same key as DuckDB computes it from the JSON input.</param>
    /// <param name="killRounds">Rounds whose first run is killed mid-batch (they get eight files of 50 events, so eight batches to be killed in; the others two of 100).</param>
    public static async Task AssertExactAcrossProcessesAsync(TempDirectory temp, string scenario, string tableKey, string inputKey, params int[] killRounds)
    {
        var host = new ScenarioProcesses(scenario, temp);
        await host.RunRoundsAsync(5, round => StatefulEvents.WriteRound(host.Input, round, files: killRounds.Contains(round) ? 8 : 2, rowsPerFile: killRounds.Contains(round) ? 50 : 100), killRounds);

        var expected = DuckDbQuery.Rows($"SELECT {inputKey} AS key, count(*) AS n, sum(v)::BIGINT AS total FROM {StatefulEvents.DuckDbScan(host.Input)} GROUP BY ALL");
        var actual = DuckDbQuery.Rows($"SELECT {tableKey} AS key, n, total FROM {DuckDbDelta.Scan(host.Table)}");
        JsonRows.AssertSameKeyedRows(expected, actual, "the table against DuckDB over all the input", "key");
    }
}
