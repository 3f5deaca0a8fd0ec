using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A grouped aggregation in update mode, run as five rounds of new input, each by a new process (in one round a run
/// is first killed mid-batch). Delta refuses update mode, so the scenario's foreachBatch appends each batch's updated
/// groups with the batch id: each batch is written once (a replayed batch finds its txn), and a key's row of the
/// highest batch is its aggregate over all the input.
/// </summary>
public sealed class CrossProcessUpdateModeTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-update");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Each_keys_latest_update_equals_the_aggregate_over_all_input_across_processes_and_a_killAsync()
    {
        var host = new ScenarioProcesses("updated-by-batch", temp);
        await host.RunRoundsAsync(5, round => StatefulEvents.WriteRound(host.Input, round, files: round == 2 ? 8 : 2, rowsPerFile: round == 2 ? 50 : 100), killRounds: 2);

        var table = DuckDbDelta.Scan(host.Table);
        var repeated = DuckDbQuery.Rows($"SELECT k, batch_id, count(*) AS times FROM {table} GROUP BY ALL HAVING count(*) > 1");
        Assert.True(repeated.Count == 0, $"updates written more than once: {string.Join(", ", repeated.Take(5).Select(r => r.ToJsonString()))}");
        var batches = DuckDbQuery.Rows($"SELECT count(DISTINCT batch_id) AS batches FROM {table}").Single()["batches"]!.ToString();
        Assert.Equal("16", batches); // one batch a file: two in four rounds, eight in the round with the kill

        var expected = DuckDbQuery.Rows($"SELECT k, count(*) AS n, sum(v)::BIGINT AS total FROM {StatefulEvents.DuckDbScan(host.Input)} GROUP BY k");
        var latest = DuckDbQuery.Rows($"SELECT k, n, total FROM (SELECT *, row_number() OVER (PARTITION BY k ORDER BY batch_id DESC) AS r FROM {table}) WHERE r = 1");
        JsonRows.AssertSameKeyedRows(expected, latest, "the table against DuckDB over all the input", "k");
    }
}
