using System.Diagnostics;
using System.Globalization;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// <c>orleans-streams silo</c> as a process on free loopback ports (localhost clustering), in a folder of the test's
/// choosing; <see cref="Cluster"/> points other invocations of the command at its gateway.
/// </summary>
public sealed class CliSilo : IAsyncDisposable
{
    private readonly Process process;

    private CliSilo(Process process, string url, int gatewayPort)
    {
        this.process = process;
        Url = url;
        GatewayPort = gatewayPort;
    }

    public string Url { get; }

    public int GatewayPort { get; }

    /// <param name="settings">More command-line settings for the silo (<c>--OrleansStreams:Silo:…=…</c>).</param>
    public static async Task<CliSilo> StartAsync(string folder, params string[] settings)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePorts.Next()}");
        var gatewayPort = FreePorts.Next();
        var process = new CliProcess(folder).With("DOTNET_ENVIRONMENT", "Development").Start([
            "silo", "--urls", url,
            string.Create(CultureInfo.InvariantCulture, $"--OrleansStreams:Cluster:SiloPort={FreePorts.Next()}"),
            string.Create(CultureInfo.InvariantCulture, $"--OrleansStreams:Cluster:GatewayPort={gatewayPort}"),
            "--OrleansStreams:Silo:PollInterval=00:00:00.100",
            .. settings]);
        var silo = new CliSilo(process, url, gatewayPort);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Polling.UntilAsync(
            async () => process.HasExited ? throw new InvalidOperationException("exited") : (await http.GetAsync($"{url}/readyz")).IsSuccessStatusCode,
            TimeSpan.FromMinutes(1), () => $"the silo never became ready:\n{CliProcess.OutputSoFar(process)}");
        return silo;
    }

    /// <summary>The command in <paramref name="folder"/>, connecting to this silo's gateway.</summary>
    public CliProcess Cluster(string folder) => new CliProcess(folder).With("OrleansStreams__Cluster__GatewayPort", GatewayPort.ToString(CultureInfo.InvariantCulture));

    /// <summary>SIGTERM, and what the silo printed and returned.</summary>
    public async Task<CliResult> StopAsync()
    {
        CliProcess.Terminate(process);
        return await CliProcess.WaitAsync(process, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
