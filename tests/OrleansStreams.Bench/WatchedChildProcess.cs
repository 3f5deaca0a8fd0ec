using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// Runs a measurement in a child process (<see cref="ChildProcess"/>) that may fail by design — under a heap
/// limit, say — and turns its end into a <see cref="ChildOutcome"/> instead of an exception: the child's peak
/// resident set is sampled from <c>/proc/PID/status</c> (VmHWM) while it runs, because a process that dies of
/// an OOM writes no figures; the child is killed at a deadline (an OOM can leave a process hung rather than
/// dead; how busy it was in its last half minute tells a hang from slow work), or when it lingers after writing its
/// figures. The child prints <see cref="MeasuringMarker"/> on
/// standard error when its clock starts, so a crash or a hang is placed before or into the measured run.
/// </summary>
internal static class WatchedChildProcess
{
    public const string MeasuringMarker = "bench: the measured run starts";
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LingerAfterResult = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BusyWindow = TimeSpan.FromSeconds(30);
    private const int ErrorLinesKept = 40;

    public static async Task<ChildOutcome> RunAsync(string name, string workFolder, IReadOnlyDictionary<string, string> environment, TimeSpan deadline)
    {
        var result = ChildProcess.ResultPath(name, workFolder);
        var start = ChildProcess.StartInfo(name, workFolder, small: false, result);
        start.RedirectStandardError = true; // kept to tell an OOM from another crash, and passed on to ours
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var errors = new Queue<string>();
        TimeSpan? measuring = null;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data != MeasuringMarker)
            {
                Console.Error.WriteLine(e.Data);
            }

            lock (errors)
            {
                measuring ??= e.Data == MeasuringMarker ? watch.Elapsed : null;
                errors.Enqueue(e.Data);
                if (errors.Count > ErrorLinesKept)
                {
                    errors.Dequeue();
                }
            }
        };
        process.BeginErrorReadLine();

        long peakKb = 0;
        var timedOut = false;
        var killed = false;
        TimeSpan? resultSeen = null;
        var cpu = new Queue<(TimeSpan At, TimeSpan Cpu)>(); // the last BusyWindow of samples
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, PeakResidentKb(process.Id));
            if (CpuTime(process) is { } used)
            {
                cpu.Enqueue((watch.Elapsed, used));
                while (watch.Elapsed - cpu.Peek().At > BusyWindow)
                {
                    cpu.Dequeue();
                }
            }

            resultSeen ??= File.Exists(result) ? watch.Elapsed : null;
            if (!killed && (watch.Elapsed > deadline || watch.Elapsed - resultSeen > LingerAfterResult))
            {
                timedOut = resultSeen is null;
                process.Kill(entireProcessTree: true);
                killed = true;
            }

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(SampleEvery)).ConfigureAwait(false);
        }

        await process.WaitForExitAsync().ConfigureAwait(false); // drains standard error
        var seconds = watch.Elapsed.TotalSeconds;
        var figures = File.Exists(result) ? JsonNode.Parse(await File.ReadAllTextAsync(result).ConfigureAwait(false))!.AsObject() : null;
        File.Delete(result);
        string? failure;
        lock (errors)
        {
            var when = measuring is { } from
                ? string.Create(CultureInfo.InvariantCulture, $"after {seconds - from.TotalSeconds:F1} s of the measured run")
                : "before the measured run started";
            failure = figures?["failed"]?.GetValue<string>()
                ?? (timedOut ? string.Create(CultureInfo.InvariantCulture, $"hung: killed {when} (deadline {deadline.TotalSeconds:F0} s; {Busy(cpu)})") : null)
                ?? (figures is null ? $"{Crash(process.ExitCode, errors)} {when}" : null);
        }

        return new ChildOutcome(figures, failure, peakKb / 1000, seconds, killed ? null : process.ExitCode);
    }

    /// <summary>How much CPU the child used over the samples kept, as a share of one core.</summary>
    private static string Busy(Queue<(TimeSpan At, TimeSpan Cpu)> samples)
    {
        if (samples.Count < 2)
        {
            return "CPU not sampled";
        }

        var (first, last) = (samples.Peek(), samples.Last());
        var share = (last.Cpu - first.Cpu) / (last.At - first.At);
        return string.Create(CultureInfo.InvariantCulture, $"{share * 100:F0}% of a core busy in its last {(last.At - first.At).TotalSeconds:F0} s");
    }

    /// <summary>The child's CPU time so far (all threads), or null once it has gone.</summary>
    private static TimeSpan? CpuTime(Process process)
    {
        try
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What ended a child that wrote no figures, from its exit code and the end of its standard error.</summary>
    private static string Crash(int exitCode, IEnumerable<string> errors)
    {
        var text = string.Join('\n', errors);
        return text.Contains("OutOfMemory", StringComparison.Ordinal) || text.Contains("Out of memory", StringComparison.OrdinalIgnoreCase)
            ? "OOM"
            : $"exit code {exitCode} ({errors.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no message"})";
    }

    /// <summary>The process's peak resident set so far (VmHWM, in kB); 0 once it has gone.</summary>
    private static long PeakResidentKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
