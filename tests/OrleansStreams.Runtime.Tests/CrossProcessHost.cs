using System.Diagnostics;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Runs tests/OrleansStreams.CrossProcess.TestHost (built beside the tests) as a process of its own under a culture,
/// the way another silo, a restarted CLI or a user's application would run the same code.
/// </summary>
internal static class CrossProcessHost
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <returns>What the process printed.</returns>
    public static async Task<string> RunAsync(string culture, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansStreams.CrossProcess.TestHost.dll"));
        start.ArgumentList.Add(culture);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the cross-process test host");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the test host ({culture} {string.Join(' ', arguments)}) did not finish within {Timeout}: {await output}");
        }

        Assert.True(process.ExitCode == 0, $"the test host ({culture} {string.Join(' ', arguments)}) failed with exit {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }
}
