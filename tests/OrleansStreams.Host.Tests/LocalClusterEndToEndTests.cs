using System.Globalization;
using Apache.Arrow;
using Azure.Storage.Queues;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// The local stack end to end, every part its own process: Azurite, two silo hosts clustered on its Table service,
/// the Event Grid emulator, and the CLI submitting a SQL pipeline in notification mode with <c>run --cluster</c>.
/// Blobs uploaded by a plain Azure SDK client before and while the pipeline runs land in its Delta table exactly once.
/// </summary>
public sealed class LocalClusterEndToEndTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int RowsPerFile = 5;
    private const int FilesBefore = 4;
    private const int FilesWhileRunning = 4;
    private const string Container = "e2e-landing";
    private const string Queue = "e2e-landing-events";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TempDirectory temp = new("local-cluster");
    private readonly string clusterId = $"e2e-{Guid.NewGuid():N}";
    private readonly List<IDisposable> processes = [];

    public void Dispose()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }

        temp.Dispose();
    }

    [Fact]
    public async Task A_notification_pipeline_submitted_by_the_CLI_lands_every_uploaded_blob_exactly_onceAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string what) => log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {what}");

        var emulator = await EmulatorProcess.StartAsync(azurite.ConnectionString, Queue, Container);
        processes.Add(emulator);
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["OrleansStreams__Cluster__Clustering"] = "AzureTable",
            ["OrleansStreams__Cluster__ClusterId"] = clusterId,
            ["OrleansStreams__Storage__ConnectionString"] = azurite.ConnectionString,
            ["OrleansStreams__Silo__StateRoot"] = $"abfss://state@{AzuriteFixture.AccountName}.dfs.core.windows.net/{clusterId}",
            ["OrleansStreams__Silo__PollInterval"] = "00:00:00.100",
            ["OrleansStreams__Notifications__PollInterval"] = "00:00:00.100",
            ["OrleansStreams__Notifications__RouteRefreshInterval"] = "00:00:00.500",
        };
        var silos = Enumerable.Range(0, 2).Select(_ => SiloProcess.Start(settings)).ToList();
        processes.AddRange(silos);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var silo in silos)
        {
            await Polling.UntilAsync(async () => (await http.GetAsync($"{silo.Url}/readyz")).IsSuccessStatusCode, Patience, () => $"silo {silo.SiloPort} never became ready:\n{silo.Output()}");
        }

        Phase("Azurite, the emulator and two silos up");

        // Files there before the pipeline starts: its first listing takes them (their events arrive too, and change nothing).
        var landing = new LandingContainer(azurite, Container);
        for (var i = 0; i < FilesBefore; i++)
        {
            await landing.UploadAsync(i, RowsPerFile);
        }

        File.WriteAllText(temp.Combine("landing.sql"), $"""
            -- Every landed file once, found by its BlobCreated event.
            CREATE OR REFRESH STREAMING TABLE landed
            AS SELECT id, file FROM STREAM read_files('{landing.SourcePath}', format => 'json', schema => '{LandingContainer.Schema}',
                                                      useNotifications => true, queueName => '{Queue}');
            """);
        var cli = new CliProcess(temp.Path)
            .With("OrleansStreams__Cluster__Clustering", "AzureTable")
            .With("OrleansStreams__Cluster__ClusterId", clusterId)
            .With("OrleansStreams__Storage__ConnectionString", azurite.ConnectionString);

        var availableNow = await cli.RunAsync("run", "landing.sql", "--cluster");
        Assert.True(availableNow.ExitCode == 0, availableNow.ToString());
        Assert.Matches(@"landed\s+│\s+append\s+│\s+completed", availableNow.Output);
        Assert.Equal(Enumerable.Range(0, FilesBefore * RowsPerFile), await IdsAsync());
        Phase("run --cluster (available-now) done");

        var submitted = await cli.RunAsync("run", "landing.sql", "--cluster", "--trigger", "processing-time=500ms");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Contains("orleans-streams status landed", submitted.Output, StringComparison.Ordinal);
        Phase("run --cluster (processing-time) submitted and returned");

        // The CLI is gone; the query runs on the cluster and takes the files announced from now on.
        for (var i = FilesBefore; i < FilesBefore + FilesWhileRunning; i++)
        {
            await landing.UploadAsync(i, RowsPerFile);
        }

        var all = Enumerable.Range(0, (FilesBefore + FilesWhileRunning) * RowsPerFile).ToList();
        await Polling.UntilAsync(async () => (await IdsAsync()).Count >= all.Count, Patience,
            () => $"the rows of the files uploaded while the query runs never all landed: {string.Join(",", IdsAsync().Result)}\nemulator:\n{emulator.Output()}\n{silos[0].Output()}\n{silos[1].Output()}");
        var events = new QueueClient(azurite.ConnectionString, Queue);
        await Polling.UntilAsync(async () => (await events.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Patience, () => "the event queue never emptied");
        Phase("every row landed and every event taken");

        var queries = await cli.RunAsync("queries");
        Assert.True(queries.ExitCode == 0, queries.ToString());
        Assert.Matches(@"landed\s+│\s+running\s+│\s+landed", queries.Output);
        var status = Assert.Single((await cli.RunAsync("status", "--format", "json")).JsonRows());
        Assert.Equal("landed", (string?)status["name"]);
        Assert.Equal("running", (string?)status["state"]);
        Assert.Contains(silos, s => s.Is((string?)status["silo"]));
        Assert.Contains(landing.Name, status["lastProgress"]!["sources"]![0]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        // Exactly once, by our reader and by DuckDB's: every event came at least once, the first files' twice (listing and event).
        Assert.True(emulator.Published >= FilesBefore + FilesWhileRunning, $"{emulator.Published} events published");
        Assert.Equal(all, await IdsAsync());
        Assert.Equal(all, DuckDbDelta.ReadRows(temp.Combine("warehouse", "landed")).Select(r => r!["id"]!.GetValue<int>()).Order());
        Phase("checked");
    }

    /// <summary>The table's ids in order, by our own Delta reader; none before its first commit.</summary>
    private async Task<List<int>> IdsAsync()
    {
        var delta = new DeltaTable(new LocalFileObjectStore(temp.Combine("warehouse", "landed")));
        if (!LocalTables.HasFirstCommit(temp.Combine("warehouse", "landed")))
        {
            return [];
        }

        var ids = new List<int>();
        await foreach (var batch in delta.ReadAsync(await delta.GetSnapshotAsync(), ["id"]))
        {
            var column = (Int32Array)batch.Column(0);
            ids.AddRange(Enumerable.Range(0, column.Length).Select(i => column.GetValue(i)!.Value));
        }

        return ids.Order().ToList();
    }
}
