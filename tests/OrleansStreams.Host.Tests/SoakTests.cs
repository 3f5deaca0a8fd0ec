using OrleansStreams.Soak;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// CI's two-minute soak: the soak command itself (tests/OrleansStreams.Soak), three silo processes with a random one
/// SIGKILLed every ~20 s and one blob request in 40 disturbed, checked by DuckDB. Its report is the test's output.
/// </summary>
public sealed class SoakTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public async Task A_two_minute_soak_with_silos_killed_and_storage_faults_lands_every_row_exactly_onceAsync()
    {
        using var report = new StringWriter();
        var exitCode = await SoakCommand.RunAsync(["--duration", "2m", "--seed", "7"], TextWriter.Synchronized(report));
        log.WriteLine(report.ToString());
        Assert.True(exitCode == 0, $"the soak failed:\n{report}");
    }
}
