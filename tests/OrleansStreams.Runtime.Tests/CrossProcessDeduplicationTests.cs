using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// dropDuplicates(id, ts) under a one-hour watermark, run as five rounds of new input, each by a new process (in two
/// rounds a run is first killed mid-batch). Events are redelivered within a file, across files of a round and in the next round, always
/// within the watermark: the table must hold each distinct event once, as DuckDB's DISTINCT over all the input.
/// </summary>
public sealed class CrossProcessDeduplicationTests : IDisposable
{
    private readonly TempDirectory temp = new("restart-dedup");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Each_distinct_event_is_written_once_across_processes_and_killsAsync()
    {
        var host = new ScenarioProcesses("deduplicated", temp);
        List<StatefulEvent> previous = [];
        await host.RunRoundsAsync(5, round =>
        {
            var events = StatefulEvents.Round(round, files: round is 1 or 3 ? 8 : 2, rowsPerFile: round is 1 or 3 ? 50 : 100);
            var files = events.Select(f => f.ToList()).ToList();
            for (var f = 0; f < files.Count; f++)
            {
                files[f].AddRange(events[f].Where(e => e.Id % 10 == 0)); // again in the same file
                files[(f + 1) % files.Count].AddRange(events[f].Where(e => e.Id % 4 == 1)); // again in another file of the round
            }

            files[0].AddRange(previous.Where(e => e.Id % 3 == 2)); // again in the next round
            StatefulEvents.Write(host.Input, round, files);
            previous = [.. events.SelectMany(f => f)];
        }, killRounds: [1, 3]);

        var expected = DuckDbQuery.Rows($"SELECT DISTINCT id, ts, k, v FROM {StatefulEvents.DuckDbScan(host.Input)}");
        var actual = DuckDbQuery.Rows($"SELECT id, ts, k, v FROM {DuckDbDelta.Scan(host.Table)}");
        Assert.True(expected.Count < DuckDbQuery.Rows($"SELECT id FROM {StatefulEvents.DuckDbScan(host.Input)}").Count, "the input has no duplicates");
        JsonRows.AssertSameKeyedRows(expected, actual, "the table against DuckDB over all the input", "id");
    }
}
