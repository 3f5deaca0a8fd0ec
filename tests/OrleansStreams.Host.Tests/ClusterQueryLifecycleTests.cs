using System.Text.Json.Nodes;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// A pipeline submitted with <c>run --cluster</c> to a silo process on Azurite, then stopped, started and restarted with
/// the CLI: a stopped query takes no file (not even after its silo restarts, when startup resume and reminders run),
/// start goes on where its checkpoint left off, restart begins a new run, and every row lands once (DuckDB reads the table).
/// </summary>
public sealed class ClusterQueryLifecycleTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int RowsPerFile = 10;
    private const string ReminderPeriod = "00:00:05";
    private static readonly TimeSpan Patience = SiloProcessCluster.Patience;

    private readonly TempDirectory temp;
    private readonly SiloProcessCluster cluster;
    private readonly AzuriteFixture azurite;
    private int files;

    public ClusterQueryLifecycleTests(AzuriteFixture azurite)
    {
        this.azurite = azurite;
        temp = new("lifecycle");
        cluster = new SiloProcessCluster(azurite, temp, "lifecycle");
    }

    public void Dispose()
    {
        cluster.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Stop_start_and_restart_govern_a_cluster_query_from_the_command_lineAsync()
    {
        var settings = cluster.Settings(("OrleansStreams__Silo__ResumeReminderPeriod", ReminderPeriod));
        var silo = (await cluster.StartAsync(settings, 1)).Single();
        var cli = Cli();
        DropFiles(1);
        File.WriteAllText(temp.Combine("lifecycle.sql"), $"""
            CREATE OR REFRESH STREAMING TABLE lifecycle
            AS SELECT id FROM STREAM read_files('{temp.Combine("input")}', format => 'json', schema => '{InputFiles.Schema}', maxFilesPerTrigger => 1);
            """);
        Succeeded(await cli.RunAsync("run", "lifecycle.sql", "--cluster", "--trigger", "processing-time=1s"));
        await WaitForRowsAsync();

        var stopped = Succeeded(await cli.RunAsync("stop", "lifecycle"));
        Assert.Contains("stopped query 'lifecycle'", stopped.Output, StringComparison.Ordinal);
        Assert.Equal("stopped", State(Succeeded(await cli.RunAsync("queries", "--all", "--format", "json")))["state"]!.GetValue<string>());
        Assert.Contains("no running queries (1 stopped", Succeeded(await cli.RunAsync("queries")).Output, StringComparison.Ordinal);

        // Files land while it is stopped, and its silo is replaced: neither the startup resume nor a reminder brings it back.
        var rowsWhenStopped = Rows().Count;
        DropFiles(2);
        silo.Kill();
        await cluster.StartAsync(settings, 1);
        await Task.Delay(TimeSpan.Parse(ReminderPeriod, System.Globalization.CultureInfo.InvariantCulture) * 3); // an absence: nothing to wait for but time
        var status = State(Succeeded(await cli.RunAsync("status", "lifecycle", "--format", "json")));
        Assert.Equal("stopped", status["state"]!.GetValue<string>());
        Assert.Equal(rowsWhenStopped, Rows().Count);

        var started = Succeeded(await cli.RunAsync("start", "lifecycle"));
        Assert.Contains("started query 'lifecycle' (Running on ", started.Output, StringComparison.Ordinal);
        await WaitForRowsAsync();
        var firstRun = RunOf(await cli.RunAsync("status", "lifecycle", "--format", "json"));

        var restarted = Succeeded(await cli.RunAsync("restart", "lifecycle"));
        Assert.Contains("restarted query 'lifecycle' (Running on ", restarted.Output, StringComparison.Ordinal);
        DropFiles(1);
        await WaitForRowsAsync();
        Assert.NotEqual(firstRun, RunOf(await cli.RunAsync("status", "lifecycle", "--format", "json")));

        Succeeded(await cli.RunAsync("stop", "lifecycle"));
        Assert.Equal(Enumerable.Range(0, files * RowsPerFile).Select(i => (long)i), Rows().Order());
    }

    [Fact]
    public async Task Lifecycle_commands_name_a_query_the_cluster_does_not_knowAsync()
    {
        await cluster.StartAsync(cluster.Settings(), 1);

        var result = await Cli().RunAsync("stop", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no query named 'nope'", result.Error, StringComparison.Ordinal);
    }

    private CliProcess Cli() => new CliProcess(temp.Path)
        .With("OrleansStreams__Cluster__Clustering", "AzureTable")
        .With("OrleansStreams__Cluster__ClusterId", cluster.ClusterId)
        .With("OrleansStreams__Cluster__ServiceId", cluster.ClusterId)
        .With("OrleansStreams__Storage__ConnectionString", azurite.ConnectionString);

    private static CliResult Succeeded(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static JsonObject State(CliResult result) => result.JsonRows().Single(q => q["name"]!.GetValue<string>() == "lifecycle");

    private static string RunOf(CliResult result) => State(Succeeded(result))["lastProgress"]!["runId"]!.GetValue<string>();

    private void DropFiles(int count)
    {
        for (var i = 0; i < count; i++)
        {
            InputFiles.Write(temp.Combine("input"), files++, RowsPerFile);
        }
    }

    /// <summary>Waits until every file dropped so far is in the table.</summary>
    private Task WaitForRowsAsync() =>
        Polling.UntilAsync(() => Task.FromResult(Rows().Count == files * RowsPerFile), Patience,
            () => $"{Rows().Count} rows, expected {files * RowsPerFile}:\n{cluster.Output()}");

    private List<long> Rows() =>
        LocalTables.HasFirstCommit(temp.Combine("warehouse", "lifecycle"))
            ? [.. DuckDbDelta.ReadRows(temp.Combine("warehouse", "lifecycle")).Select(r => r!["id"]!.GetValue<long>())]
            : [];
}
