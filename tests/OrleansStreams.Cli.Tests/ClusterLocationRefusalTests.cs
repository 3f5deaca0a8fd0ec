using System.Text.Json.Nodes;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// <c>run --cluster</c> against a silo process that allows queries only under one folder
/// (<c>OrleansStreams:Silo:AllowedLocations</c>): a pipeline reading elsewhere fails with exit code 1 and one line naming
/// the location and the setting; the same pipeline reading inside runs.
/// </summary>
public sealed class ClusterLocationRefusalTests : IDisposable
{
    private readonly TempDirectory folder = new("cli-roots");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_pipeline_reading_outside_the_allowed_roots_is_refused_and_one_inside_runsAsync()
    {
        var shared = folder.Combine("shared");
        WriteFile(folder.Combine("in"));
        WriteFile(Path.Combine(shared, "in"));
        File.WriteAllText(folder.Combine("outside.sql"), Pipeline("in"));
        File.WriteAllText(folder.Combine("inside.sql"), Pipeline("shared/in"));
        await using var silo = await CliSilo.StartAsync(Directory.CreateDirectory(folder.Combine("silo")).FullName, $"--OrleansStreams:Silo:AllowedLocations={shared}");
        var cli = silo.Cluster(folder.Path);

        var refused = await cli.RunAsync("run", "outside.sql", "--cluster", "--warehouse", "shared");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        var line = Assert.Single(refused.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains($"the source {folder.Combine("in")}", line, StringComparison.Ordinal);
        Assert.Contains($"it allows only {shared} (OrleansStreams:Silo:AllowedLocations)", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(shared, "_checkpoints", "landed")), "the refused pipeline wrote its checkpoint");

        var ran = await cli.RunAsync("run", "inside.sql", "--cluster", "--warehouse", "shared");
        Assert.True(ran.ExitCode == 0, ran.ToString());
        var count = await cli.RunAsync("sql", "SELECT count(*) AS n FROM landed", "--format", "json", "--warehouse", "shared");
        Assert.True(count.ExitCode == 0, count.ToString());
        Assert.Equal(4, (long)count.JsonRows()[0]["n"]!);
        Assert.True((await silo.StopAsync()).ExitCode == 0);
    }

    private static string Pipeline(string input) => $"""
        CREATE OR REFRESH STREAMING TABLE landed
        AS SELECT id, file FROM STREAM read_files('{input}', format => 'json', schema => 'id INT, file STRING');
        """;

    private static void WriteFile(string input)
    {
        Directory.CreateDirectory(input);
        var lines = Enumerable.Range(0, 4).Select(i => new JsonObject { ["id"] = i, ["file"] = "f0" }.ToJsonString());
        File.WriteAllLines(Path.Combine(input, "part-0.json.tmp"), lines);
        File.Move(Path.Combine(input, "part-0.json.tmp"), Path.Combine(input, "part-0.json"));
    }
}
