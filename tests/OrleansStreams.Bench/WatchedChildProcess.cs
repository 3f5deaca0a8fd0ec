using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// Runs a measurement in a child process (<see cref="ChildProcess"/>) that may fail by design — under a heap
/// limit, say — and turns its end into a <see cref="ChildOutcome"/> instead of an exception: the child's peak
/// resident set is sampled from <c>/proc/PID/status</c> (VmHWM) while it runs, because a process that
/// dies of an OOM writes no figures; the child is killed at a deadline, or when it lingers after writing them.
/// </summary>
internal static class WatchedChildProcess
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LingerAfterResult = TimeSpan.FromSeconds(30);
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
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Console.Error.WriteLine(e.Data);
            lock (errors)
            {
                errors.Enqueue(e.Data);
                if (errors.Count > ErrorLinesKept)
                {
                    errors.Dequeue();
                }
            }
        };
        process.BeginErrorReadLine();

        long peakKb = 0;
        string? timedOut = null;
        var killed = false;
        TimeSpan? resultSeen = null;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, PeakResidentKb(process.Id));
            resultSeen ??= File.Exists(result) ? watch.Elapsed : null;
            if (!killed && (watch.Elapsed > deadline || watch.Elapsed - resultSeen > LingerAfterResult))
            {
                timedOut = resultSeen is null ? string.Create(CultureInfo.InvariantCulture, $"timed out after {watch.Elapsed.TotalSeconds:F0} s") : null;
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
            failure = figures?["failed"]?.GetValue<string>() ?? timedOut ?? (figures is null ? Crash(process.ExitCode, errors, seconds) : null);
        }

        return new ChildOutcome(figures, failure, peakKb / 1000, seconds, killed ? null : process.ExitCode);
    }

    /// <summary>Why a child that wrote no figures ended, from its exit code and the end of its standard error.</summary>
    private static string Crash(int exitCode, IEnumerable<string> errors, double seconds)
    {
        var text = string.Join('\n', errors);
        var what = text.Contains("OutOfMemory", StringComparison.Ordinal) || text.Contains("Out of memory", StringComparison.OrdinalIgnoreCase)
            ? "OOM"
            : $"exit code {exitCode}: {errors.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no message"}";
        return string.Create(CultureInfo.InvariantCulture, $"{what} after {seconds:F1} s (from process start)");
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
