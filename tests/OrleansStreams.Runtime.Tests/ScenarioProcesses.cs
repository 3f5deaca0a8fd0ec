using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Runs one scenario of the test host (<c>OrleansStreams.Runtime.TestHost</c>) again and again, each run a new
/// process on the same input folder, warehouse and checkpoint: a run to the end (Trigger.AvailableNow), or a run
/// killed with SIGKILL while one of its batches is planned in the offset log and not yet committed.
/// </summary>
internal sealed class ScenarioProcesses(string scenario, TempDirectory temp)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly List<string> runs = [];

    public string Input => temp.Combine("input");

    public string Warehouse => temp.Combine("warehouse");

    public string Checkpoint => temp.Combine("checkpoint");

    public string Table => temp.Combine("table");

    /// <summary>Environment variables of every run (a GC heap limit, say).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Processes started so far.</summary>
    public int Started { get; private set; }

    /// <summary>Kills that found a batch in flight (planned, not committed).</summary>
    public int KilledMidBatch { get; private set; }

    /// <summary>What each run did, for failure messages.</summary>
    public string History => string.Join("; ", runs);

    /// <summary>
    /// <paramref name="rounds"/> rounds of new input, each followed by a run to the end; in the rounds of
    /// <paramref name="killRounds"/> a run is first killed mid-batch, and the next must recover.
    /// </summary>
    public async Task RunRoundsAsync(int rounds, Action<int> writeInput, params int[] killRounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            writeInput(round);
            if (killRounds.Contains(round))
            {
                await KillMidBatchAsync();
            }

            await RunToEndAsync();
        }

        Assert.True(Started >= 5, $"only {Started} processes ran: {History}");
        Assert.True(killRounds.Length == 0 || KilledMidBatch > 0, $"no kill hit a batch in flight: {History}");
    }

    /// <summary>Runs the scenario until it has processed everything available and exits; it must exit with 0.</summary>
    public async Task RunToEndAsync()
    {
        using var process = Start(out var output);
        var exited = await WaitForExitAsync(process, RunTimeout);
        if (!exited)
        {
            Kill(process);
            await process.WaitForExitAsync();
        }

        runs.Add($"run {Started}: {(exited ? $"exit {process.ExitCode}" : "timed out")} at batch {Latest("commits")}");
        Assert.True(exited && process.ExitCode == 0, $"run {Started} of {scenario} {(exited ? $"exited with {process.ExitCode}" : $"did not end within {RunTimeout}")}:\n{Text(output)}\nruns: {History}");
    }

    /// <summary>
    /// Starts a run and kills it (SIGKILL, no cleanup) the moment it plans its second batch (the batch's offsets appear
    /// in the log), so the kill falls inside a batch: its offsets are written and its sink, state and commit may be
    /// partly written. The offsets folder is watched rather than polled: in-process batches take a few milliseconds,
    /// less than a poll's delay. Whether the kill found the batch still uncommitted is counted in <see cref="KilledMidBatch"/>.
    /// </summary>
    public async Task KillMidBatchAsync()
    {
        var offsets = Path.Combine(Checkpoint, "offsets");
        Assert.True(Directory.Exists(offsets), "a run is killed only after a first run has planned batches");
        var before = Latest("offsets");
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process? running = null;
        void OnPlanned(string? name)
        {
            if (long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= before + 2 && Volatile.Read(ref running) is { } process && killed.TrySetResult())
            {
                Kill(process);
            }
        }

        using var watcher = new FileSystemWatcher(offsets);
        watcher.Created += (_, e) => OnPlanned(e.Name);
        watcher.Renamed += (_, e) => OnPlanned(e.Name);
        watcher.EnableRaisingEvents = true;
        using var started = Start(out var output);
        Volatile.Write(ref running, started); // long before the run plans anything: starting takes a second or more
        if (!await WaitForExitAsync(started, RunTimeout))
        {
            Kill(started);
            Assert.Fail($"run {Started} of {scenario} neither planned a second batch nor ended within {RunTimeout}:\n{Text(output)}");
        }

        if (!killed.Task.IsCompleted)
        {
            runs.Add($"run {Started}: ended by itself (exit {started.ExitCode}) before a kill, at batch {Latest("commits")}:\n{Text(output)}");
            return;
        }

        var (planned, committed) = (Latest("offsets"), Latest("commits"));
        KilledMidBatch += planned > committed ? 1 : 0;
        runs.Add($"run {Started}: killed with batch {planned} planned, {committed} committed");
    }

    /// <summary>The highest batch id in the checkpoint's offsets or commits log, or -1.</summary>
    private long Latest(string log)
    {
        var folder = Path.Combine(Checkpoint, log);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(f => long.TryParse(Path.GetFileName(f), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1).DefaultIfEmpty(-1).Max()
            : -1;
    }

    private Process Start(out StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "OrleansStreams.Runtime.TestHost.dll"), scenario, Input, Warehouse, Checkpoint, Table })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        var text = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(text, e.Data);
        process.ErrorDataReceived += (_, e) => Append(text, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Started++;
        output = text;
        return process;
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    /// <summary>SIGKILL to the process alone (the host starts no children), at once: a tree kill first walks /proc.</summary>
    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // it has exited already
        }
    }

    /// <summary>Whether <paramref name="process"/> exited within <paramref name="timeout"/>.</summary>
    internal static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
