using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>
/// <c>run --cluster</c>, <c>queries</c> and <c>status</c> against a silo started with <c>silo</c>, all as processes,
/// and the one-line errors when no cluster answers.
/// </summary>
public sealed class ClusterCommandsTests : IDisposable
{
    private const string Pipeline = """
        CREATE OR REFRESH STREAMING TABLE landed
        AS SELECT id, file FROM STREAM read_files('in', format => 'json', schema => 'id INT, file STRING');
        """;

    private readonly TempDirectory folder = new("cli-cluster");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_pipeline_run_on_the_cluster_keeps_running_there_and_queries_and_status_show_itAsync()
    {
        WriteFile(0);
        WriteFile(1);
        File.WriteAllText(folder.Combine("p.sql"), Pipeline);
        // The silo runs in another folder: the client makes the pipeline's relative paths absolute before submitting.
        await using var silo = await CliSilo.StartAsync(Directory.CreateDirectory(folder.Combine("silo")).FullName);
        var cli = silo.Cluster(folder.Path);

        Assert.Equal("no queries on the cluster", (await cli.RunAsync("queries")).Output.Trim());
        var once = await cli.RunAsync("run", "p.sql", "--cluster");
        Assert.True(once.ExitCode == 0, once.ToString());
        Assert.Matches(@"landed\s+│\s+append\s+│\s+completed", once.Output);
        Assert.Equal(8, await CountAsync(cli));
        var stopped = Assert.Single((await cli.RunAsync("status", "--format", "json")).JsonRows());
        Assert.Equal("stopped", (string?)stopped["state"]);
        Assert.Equal(8, (long)stopped["lastProgress"]!["numInputRows"]!);

        // With a trigger that does not end, the command returns once the table runs; the cluster keeps it going.
        var submitted = await cli.RunAsync("run", "p.sql", "--cluster", "--trigger", "processing-time=500ms");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Contains("orleans-streams status landed", submitted.Output, StringComparison.Ordinal);
        WriteFile(2);
        await Polling.UntilAsync(async () => await CountAsync(cli) == 12, TimeSpan.FromMinutes(1), () => "the running query never took the new file");

        var queries = await cli.RunAsync("queries");
        Assert.True(queries.ExitCode == 0, queries.ToString());
        Assert.Matches(@"landed\s+│\s+running\s+│\s+landed", queries.Output);
        var status = Assert.Single((await cli.RunAsync("status", "landed", "--format", "json")).JsonRows());
        Assert.Equal("running", (string?)status["state"]);
        Assert.StartsWith("S127.0.0.1:", (string?)status["silo"], StringComparison.Ordinal);
        Assert.Equal(Path.Combine(folder.Path, "warehouse", "_checkpoints", "landed"), (string?)status["checkpointLocation"]);
        Assert.True((long)status["lastProgress"]!["batchId"]! >= 1, status.ToJsonString());
        var details = await cli.RunAsync("status", "landed");
        Assert.Matches(@"state\s+│\s+running", details.Output);

        var unknown = await cli.RunAsync("status", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("error: the cluster has no query named 'nope'; its queries: landed", unknown.Error.Trim());
        Assert.True((await silo.StopAsync()).ExitCode == 0);
    }

    [Fact]
    public async Task Without_a_reachable_cluster_the_cluster_commands_fail_in_one_line_naming_the_settings_to_fixAsync()
    {
        File.WriteAllText(folder.Combine("p.sql"), Pipeline);
        var nobody = new CliProcess(folder.Path)
            .With("OrleansStreams__Cluster__GatewayPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture))
            .With("OrleansStreams__Cluster__ConnectTimeout", "00:00:02");
        foreach (var arguments in new[] { new[] { "queries" }, ["status", "landed"], ["run", "p.sql", "--cluster"] })
        {
            var result = await nobody.RunAsync(arguments);
            Assert.True(result.ExitCode == 1, result.ToString());
            var line = Assert.Single(result.Error.Trim().Split('\n'));
            Assert.StartsWith("error: no cluster reachable: the localhost gateway on port ", line, StringComparison.Ordinal);
            Assert.Contains("OrleansStreams:Cluster:ConnectTimeout", line, StringComparison.Ordinal);
            Assert.Contains("start a silo (orleans-streams silo), or set OrleansStreams:Cluster:GatewayPort", line, StringComparison.Ordinal);
        }

        var noTable = await new CliProcess(folder.Path)
            .With("OrleansStreams__Cluster__Clustering", "AzureTable")
            .With("AZURE_STORAGE_CONNECTION_STRING", string.Empty)
            .RunAsync("queries");
        Assert.Equal(1, noTable.ExitCode);
        Assert.Contains("OrleansStreams:Cluster:ConnectionString", noTable.Error, StringComparison.Ordinal);
    }

    private void WriteFile(int index)
    {
        Directory.CreateDirectory(folder.Combine("in"));
        var lines = Enumerable.Range(index * 4, 4).Select(i => new JsonObject { ["id"] = i, ["file"] = $"f{index}" }.ToJsonString());
        File.WriteAllLines(folder.Combine("in", string.Create(CultureInfo.InvariantCulture, $"part-{index}.json.tmp")), lines);
        File.Move(folder.Combine("in", $"part-{index}.json.tmp"), folder.Combine("in", string.Create(CultureInfo.InvariantCulture, $"part-{index}.json")));
    }

    private async Task<long> CountAsync(CliProcess cli)
    {
        var result = await cli.RunAsync("sql", "SELECT count(*) AS n FROM landed", "--format", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return (long)result.JsonRows()[0]["n"]!;
    }
}
