using System.Diagnostics;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The whole process running a query (an embedded silo ingesting one file per batch) is killed at
/// random points of its progress and started again on the same checkpoint until the query finishes; the table must
/// hold every input row exactly once.
/// </summary>
public sealed class ProcessKillTests : IDisposable
{
    private const int Files = 120;
    private const int RowsPerFile = 10;

    private readonly TempDirectory temp = new("process-kill");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Killing_the_process_at_random_points_loses_and_duplicates_nothingAsync()
    {
        for (var i = 0; i < Files; i++)
        {
            KafkaRawFiles.Write(temp.Combine("kafka-raw"), i, RowsPerFile);
        }

        // Four runs are killed once they have committed a few more batches (at a random count);
        // the fifth runs to the end. Each kill is a SIGKILL of the whole process, silo included.
        var random = new Random(7);
        var midway = 0;
        var early = new List<string>();
        for (var kill = 0; kill < 4; kill++)
        {
            using var process = Start();
            var target = Committed() + random.Next(2, 8);
            while (Committed() < target && !process.HasExited)
            {
                await Task.Delay(5);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // no shutdown, no cleanup
                midway += Committed() < Files ? 1 : 0;
                await process.WaitForExitAsync();
            }
            else
            {
                early.Add($"exit {process.ExitCode} at {Committed()} batches: {await process.StandardOutput.ReadToEndAsync()} {await process.StandardError.ReadToEndAsync()}");
            }
        }

        using (var last = Start())
        {
            Assert.True(await ScenarioProcesses.WaitForExitAsync(last, TimeSpan.FromMinutes(2)), "the last run did not finish");
            Assert.True(last.ExitCode == 0, $"the last run failed: {await last.StandardError.ReadToEndAsync()}");
        }

        var offsets = new List<long>();
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("bronze")));
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(), ["offset"]))
        {
            var column = (Apache.Arrow.Int64Array)batch.Column(0);
            offsets.AddRange(Enumerable.Range(0, column.Length).Select(i => column.GetValue(i)!.Value));
        }

        Assert.True(midway >= 3, $"only {midway} of 4 kills hit the query mid-stream; runs that ended by themselves: {string.Join(" | ", early)}");
        Assert.Equal(Enumerable.Range(0, Files * RowsPerFile).Select(i => (long)i), offsets.Order());
    }

    private int Committed() =>
        Directory.Exists(temp.Combine("checkpoint", "commits")) ? Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length : 0;

    private Process Start()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "OrleansStreams.Runtime.TestHost.dll"), "bronze",
                     temp.Combine("kafka-raw"), temp.Combine("warehouse"), temp.Combine("checkpoint"), temp.Combine("bronze"),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the test host process");
    }
}
