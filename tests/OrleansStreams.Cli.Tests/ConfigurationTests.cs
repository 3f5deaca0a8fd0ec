using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>The command's configuration from an appsettings.json in the current folder, under environment variables and options.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempDirectory folder = new("cli-config");

    public void Dispose() => folder.Dispose();

    private CliProcess Cli => new(folder.Path);

    [Fact]
    public async Task An_appsettings_json_in_the_current_folder_places_the_warehouse_and_checkpointsAsync()
    {
        File.WriteAllText(folder.Combine("appsettings.json"), """
            { "OrleansStreams": { "Warehouse": "lake", "CheckpointRoot": "state/checkpoints" } }
            """);
        Directory.CreateDirectory(folder.Combine("in"));
        File.WriteAllText(folder.Combine("in", "a.json"), "{\"id\":1}\n{\"id\":2}\n");
        File.WriteAllText(folder.Combine("p.sql"), "CREATE OR REFRESH STREAMING TABLE ids AS SELECT id FROM STREAM read_files('in', format => 'json', schema => 'id INT');\n");

        var run = await Cli.RunAsync("run", "p.sql");
        var fromFile = await Cli.RunAsync("sql", "SELECT count(*) AS n FROM ids", "--format", "json");
        var fromEnvironment = await Cli.With("OrleansStreams__Warehouse", "elsewhere").RunAsync("tables");
        var fromOption = await Cli.With("OrleansStreams__Warehouse", "elsewhere").RunAsync("tables", "--warehouse", "lake");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(Directory.Exists(folder.Combine("lake", "ids", "_delta_log")), run.ToString());
        Assert.True(Directory.Exists(folder.Combine("state", "checkpoints", "ids")), run.ToString());
        Assert.False(Directory.Exists(folder.Combine("warehouse")));
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal(2L, (long)fromFile.JsonRows()[0]["n"]!);
        Assert.Contains("0 tables in elsewhere", fromEnvironment.Output, StringComparison.Ordinal); // the environment wins over the file
        Assert.Contains("1 table in lake", fromOption.Output, StringComparison.Ordinal); // and the option over both
    }
}
