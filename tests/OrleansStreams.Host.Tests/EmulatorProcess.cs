using System.Diagnostics;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// The Event Grid emulator (infra/eventgrid-emulator, built beside the tests) as a process: BlobCreated events of
/// the watched containers onto a queue, as an Event Grid subscription would deliver them.
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    private readonly OwnedProcess process;

    private EmulatorProcess(OwnedProcess process) => this.process = process;

    /// <summary>The emulator's dll in its own output folder, of the tests' configuration and framework.</summary>
    public static string Dll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepoRoot.Find(), "infra", "eventgrid-emulator", "bin", tfm.Parent!.Name, tfm.Name, "orleans-streams-eventgrid-emulator.dll");
        }
    }

    /// <summary>Starts it and waits until it watches (the blobs there by then count as existing before the subscription).</summary>
    public static async Task<EmulatorProcess> StartAsync(string connectionString, string queue, string container)
    {
        var start = new ProcessStartInfo("dotnet");
        foreach (var argument in new[] { Dll, "--queue", queue, "--container", container, "--connection-string", connectionString, "--interval-ms", "200" })
        {
            start.ArgumentList.Add(argument);
        }

        var emulator = new EmulatorProcess(new OwnedProcess(start));
        await Polling.UntilAsync(
            () => Task.FromResult(emulator.process.Process.HasExited ? throw new InvalidOperationException("exited") : emulator.Output().Contains("Event Grid emulator delivering", StringComparison.Ordinal)),
            TimeSpan.FromMinutes(1), () => $"the emulator never started:\n{emulator.Output()}");
        return emulator;
    }

    /// <summary>How many events it published so far.</summary>
    public int Published => Output().Split('\n').Count(l => l.Contains(" BlobCreated http", StringComparison.Ordinal));

    public string Output() => process.Output();

    public void Dispose() => process.Dispose();
}
