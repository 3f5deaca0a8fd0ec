namespace OrleansStreams.Soak;

/// <summary>
/// <c>dotnet run --project tests/OrleansStreams.Soak -- [--duration 30m] [options]</c>: runs the soak and
/// prints what it injected and checked. Exit code 0 when every row landed exactly once, 1 when not or when the run
/// broke down, 2 for a bad command line.
/// </summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        SoakOptions options;
        try
        {
            options = SoakOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            output.WriteLine($"soak: {e.Message}");
            return 2;
        }

        var report = new SoakReport(output);
        report.Line($"soak for {options.Duration}, a silo killed every ~{options.KillEvery}, seed {options.Seed}");
        try
        {
            var exact = await new SoakRun(options, report).RunAsync();
            report.Line(exact ? "PASSED: every row exactly once" : "FAILED: the tables are not exact");
            return exact ? 0 : 1;
        }
        catch (Exception e)
        {
            report.Line($"FAILED: {e}");
            return 1;
        }
    }
}
