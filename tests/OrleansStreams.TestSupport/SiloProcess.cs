using System.Diagnostics;
using System.Globalization;

namespace OrleansStreams.TestSupport;

/// <summary>
/// One silo host process (the real OrleansStreams.Host app) configured through environment variables, as a
/// deployment would be; its output is kept for failure messages.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly OwnedProcess owned;
    private readonly Process process;

    private SiloProcess(OwnedProcess owned, int siloPort, string url)
    {
        this.owned = owned;
        process = owned.Process;
        SiloPort = siloPort;
        Url = url;
    }

    public int SiloPort { get; }

    public string Url { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static SiloProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var (siloPort, gatewayPort, httpPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansStreams.Host.dll"));
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["OrleansStreams__Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["OrleansStreams__Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["OrleansStreams__Cluster__AdvertisedIPAddress"] = "127.0.0.1";
        return new SiloProcess(new OwnedProcess(start), siloPort, url);
    }

    /// <summary>Whether a runtime identity (<c>S127.0.0.1:port:generation</c>) names this silo.</summary>
    public bool Is(string? siloIdentity) => siloIdentity?.Contains(string.Create(CultureInfo.InvariantCulture, $":{SiloPort}:"), StringComparison.Ordinal) == true;

    /// <summary>SIGKILL: no shutdown, no leaving the cluster.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the host's graceful shutdown.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
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

    public string Output() => owned.Output();

    public void Dispose() => owned.Dispose();
}
