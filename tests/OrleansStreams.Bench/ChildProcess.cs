using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// Runs one measurement in a fresh process of this bench (<c>--child NAME</c>): every engine gets the
/// same cold start, and the process's peak working set is that measurement's alone.
/// </summary>
internal static class ChildProcess
{
    public static async Task<JsonObject> RunAsync(string name, string workFolder, bool small)
    {
        var result = ResultPath(name, workFolder);
        using var process = Process.Start(StartInfo(name, workFolder, small, result))!;
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0 || !File.Exists(result))
        {
            throw new InvalidOperationException($"bench part {name} failed (exit code {process.ExitCode})");
        }

        var figures = JsonNode.Parse(await File.ReadAllTextAsync(result).ConfigureAwait(false))!.AsObject();
        File.Delete(result);
        return figures;
    }

    /// <summary>Where the child writes its figures: a fresh file in the work folder.</summary>
    public static string ResultPath(string name, string workFolder) => Path.Combine(workFolder, $"result-{name}-{Guid.NewGuid():N}.json");

    /// <summary>This bench run again as <c>--child NAME</c>, writing its figures to <paramref name="result"/>.</summary>
    public static ProcessStartInfo StartInfo(string name, string workFolder, bool small, string result)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = false, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var arg in new[] { "--child", name, "--work", workFolder, "--result", result })
        {
            start.ArgumentList.Add(arg);
        }

        if (small)
        {
            start.ArgumentList.Add("--small");
        }

        return start;
    }

    /// <summary>In the child: runs the part and writes its figures with the process's peak working set.</summary>
    public static async Task RunPartAsync(BenchOptions options, Func<string, bool, Task<JsonObject>> part)
    {
        var figures = await part(options.WorkFolder!, options.Small).ConfigureAwait(false);
        figures["peakWorkingSetMb"] = PeakWorkingSetMb();
        using var self = Process.GetCurrentProcess();
        figures["processCpuSeconds"] = Math.Round(self.TotalProcessorTime.TotalSeconds, 2); // with the machine shared, CPU time is the steadier figure
        await File.WriteAllTextAsync(options.ResultPath!, figures.ToJsonString()).ConfigureAwait(false);
    }

    public static long PeakWorkingSetMb()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1_000_000;
    }
}
