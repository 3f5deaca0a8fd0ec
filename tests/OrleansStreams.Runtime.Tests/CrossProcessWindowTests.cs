using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Counts per 10-minute event-time window and key under a 40-minute watermark, in append mode into a Delta table,
/// run as five rounds of new input, each by a new process (in one round a run is first killed mid-batch). Each round's events overlap
/// the previous round's last windows, so open windows carry state from one process to the next; the last round ends
/// with two events two days later, whose batches move the watermark past every earlier window.
/// </summary>
public sealed class CrossProcessWindowTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-window");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Closed_windows_are_written_once_with_the_counts_over_all_input_across_processes_and_killsAsync()
    {
        const int Rounds = 5;
        var far = StatefulEvents.Start.AddDays(2);
        var host = new ScenarioProcesses("windowed", temp);
        await host.RunRoundsAsync(Rounds, round =>
        {
            var files = StatefulEvents.Round(round, files: round == 2 ? 8 : 2, rowsPerFile: round == 2 ? 50 : 100);
            if (round == Rounds - 1)
            {
                // Separate files, so separate batches: the second runs with the watermark the first moved.
                files.Add([new StatefulEvent(9_000, 0, far, 1)]);
                files.Add([new StatefulEvent(9_001, 1, far.AddMinutes(1), 1)]);
            }

            StatefulEvents.Write(host.Input, round, files);
        }, killRounds: 2);

        var expected = DuckDbQuery.Rows($"""
            SELECT time_bucket(INTERVAL '10 minutes', ts) AS start, k, count(*) AS n, sum(v)::BIGINT AS total
            FROM {StatefulEvents.DuckDbScan(host.Input)} WHERE ts < TIMESTAMPTZ '{far:yyyy-MM-dd HH:mm:ss}+00' GROUP BY ALL
            """);
        var actual = DuckDbQuery.Rows($"SELECT struct_extract(\"window\", 'start') AS start, k, n, total FROM {DuckDbDelta.Scan(host.Table)}");
        JsonRows.AssertSameKeyedRows(expected, actual, "the table against DuckDB over all the input", "start", "k");
    }
}
