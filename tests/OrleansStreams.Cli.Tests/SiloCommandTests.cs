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
        await using var silo = await CliSilo.StartAsync(folder.Path);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            Assert.Equal("Healthy", await http.GetStringAsync($"{silo.Url}/readyz"));
        }

        var result = await silo.StopAsync();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Application is shutting down", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }
}
