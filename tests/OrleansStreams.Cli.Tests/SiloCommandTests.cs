using System.Globalization;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary><c>silo</c> runs the silo host as the command's own process: ready in the cluster, and a clean stop on SIGTERM.</summary>
public sealed class SiloCommandTests : IDisposable
{
    private readonly TempDirectory folder = new("cli-silo");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_silo_becomes_ready_with_the_default_local_settings_and_stops_cleanly_on_SIGTERMAsync()
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePorts.Next()}");
        var process = new CliProcess(folder.Path).With("DOTNET_ENVIRONMENT", "Development").Start(
            "silo", "--urls", url,
            string.Create(CultureInfo.InvariantCulture, $"--OrleansStreams:Cluster:SiloPort={FreePorts.Next()}"),
            string.Create(CultureInfo.InvariantCulture, $"--OrleansStreams:Cluster:GatewayPort={FreePorts.Next()}"));
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Polling.UntilAsync(
                async () => process.HasExited ? throw new InvalidOperationException("exited") : (await http.GetAsync($"{url}/readyz")).IsSuccessStatusCode,
                TimeSpan.FromMinutes(1), () => $"the silo never became ready:\n{CliProcess.OutputSoFar(process)}");
            Assert.Equal("Healthy", await http.GetStringAsync($"{url}/readyz"));

            CliProcess.Terminate(process);
            var result = await CliProcess.WaitAsync(process, CancellationToken.None);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Application is shutting down", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", result.Output, StringComparison.Ordinal);
            Assert.Empty(result.Error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
