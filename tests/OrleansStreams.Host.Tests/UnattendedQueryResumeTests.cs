using System.Diagnostics;
using System.Globalization;
using Orleans.Runtime;
using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// A query started on a cluster of silo processes on Azurite, whose client then leaves, goes on ingesting with no
/// client call at all after the silo running it is killed, after the whole cluster is stopped and started again, and
/// while the silo's idle collector collects what nobody calls. Every row lands once (DuckDB reads the table).
/// The time from the event to the first batch of new files is logged: it is the resume time the README states.
/// </summary>
public sealed class UnattendedQueryResumeTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int RowsPerFile = 10;
    private const string ReminderPeriod = "00:00:10";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempDirectory temp = new("unattended");
    private readonly string clusterId = $"unattended-{Guid.NewGuid():N}";
    private readonly List<SiloProcess> silos = [];
    private int files;

    public void Dispose()
    {
        foreach (var silo in silos)
        {
            silo.Dispose();
        }

        temp.Dispose();
    }

    [Fact]
    public async Task A_query_resumes_by_itself_after_the_silo_running_it_is_killedAsync()
    {
        var settings = Settings();
        await StartSilosAsync(settings, 2);
        var running = await StartQueryAndLeaveAsync();

        var killed = silos.Single(s => s.Is(running));
        killed.Kill();
        var clock = Stopwatch.StartNew();
        await DropFilesAndWaitForThemAsync(3, () => $"after the kill of silo {killed.SiloPort}");
        log.WriteLine($"resumed after the kill: new files committed {Seconds(clock.Elapsed)} s after the SIGKILL");

        AssertEveryRowOnce();
    }

    [Fact]
    public async Task A_query_resumes_by_itself_after_the_whole_cluster_is_stopped_and_started_againAsync()
    {
        var settings = Settings();
        await StartSilosAsync(settings, 2);
        await StartQueryAndLeaveAsync();

        foreach (var silo in silos)
        {
            silo.Terminate();
        }

        foreach (var silo in silos)
        {
            Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(40)), $"silo {silo.SiloPort} did not stop:\n{silo.Output()}");
        }

        // Files land while no silo runs; the restarted cluster takes them with nobody asking.
        var committed = Committed();
        var dropped = DropFiles(3);
        var clock = Stopwatch.StartNew();
        await StartSilosAsync(settings, 2);
        log.WriteLine($"restarted cluster ready after {Seconds(clock.Elapsed)} s");
        await WaitForCommitsAsync(committed + dropped, () => "after the cluster restart");
        log.WriteLine($"resumed after the restart: new files committed {Seconds(clock.Elapsed)} s after the silos were started");

        AssertEveryRowOnce();
    }

    [Fact]
    public async Task A_running_query_is_not_lost_to_idle_activation_collectionAsync()
    {
        var settings = Settings();
        settings["OrleansStreams__GrainCollection__CollectionQuantum"] = "00:00:01";
        settings["OrleansStreams__GrainCollection__CollectionAge"] = "00:00:03";
        await StartSilosAsync(settings, 1);
        await StartQueryAndLeaveAsync();

        // Wait until the collector has collected an idle grain of this cluster: the query registry, called only when the query started.
        await using var observer = await ClusterConnection.ConnectAsync(Cluster());
        var management = observer.Client.GetGrain<IManagementGrain>(0);
        await Polling.UntilAsync(async () => Activations(await management.GetSimpleGrainStatistics(), "QueryRegistryGrain") == 0, Patience,
            () => "the idle query registry was never collected");
        var clock = Stopwatch.StartNew();
        await DropFilesAndWaitForThemAsync(3, () => "after idle collection");
        log.WriteLine($"new files committed {Seconds(clock.Elapsed)} s after they were dropped, past idle collection; query grain activations: "
            + Activations(await management.GetSimpleGrainStatistics(), "StreamingQueryGrain"));

        AssertEveryRowOnce();
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__OrleansStreams"] = "Information",
        ["OrleansStreams__Cluster__Clustering"] = "AzureTable",
        ["OrleansStreams__Cluster__ClusterId"] = clusterId,
        ["OrleansStreams__Cluster__ServiceId"] = clusterId,
        ["OrleansStreams__Cluster__GrainStateContainer"] = $"grains-{Guid.NewGuid():N}",
        ["OrleansStreams__Cluster__ConnectionString"] = azurite.ConnectionString,
        ["OrleansStreams__Silo__StateRoot"] = temp.Combine("state"),
        ["OrleansStreams__Silo__BatchShutdownGrace"] = "00:00:05",
        ["OrleansStreams__Silo__ResumeReminderPeriod"] = ReminderPeriod,
        // Quick failure detection for a test: probe every second, suspect after two misses, one vote declares death.
        ["OrleansStreams__Membership__ProbeTimeout"] = "00:00:01",
        ["OrleansStreams__Membership__NumMissedProbesLimit"] = "2",
        ["OrleansStreams__Membership__NumVotesForDeathDeclaration"] = "1",
        ["OrleansStreams__Membership__TableRefreshTimeout"] = "00:00:02",
        ["OrleansStreams__Membership__IAmAliveTablePublishTimeout"] = "00:00:02",
    };

    private ClusterSettings Cluster() => new()
    {
        Clustering = ClusteringMode.AzureTable,
        ClusterId = clusterId,
        ServiceId = clusterId,
        Table = new AzureTableClusteringOptions { ConnectionString = azurite.ConnectionString },
    };

    private async Task StartSilosAsync(Dictionary<string, string> settings, int count)
    {
        var started = Enumerable.Range(0, count).Select(_ => SiloProcess.Start(settings)).ToList();
        silos.AddRange(started);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var silo in started)
        {
            await Polling.UntilAsync(async () => (await http.GetAsync($"{silo.Url}/readyz")).IsSuccessStatusCode, Patience, () => $"silo {silo.SiloPort} never became ready:\n{silo.Output()}");
        }
    }

    /// <summary>Starts a processing-time query, waits for its first file, and disconnects; returns the silo it runs on.</summary>
    private async Task<string> StartQueryAndLeaveAsync()
    {
        DropFiles(1);
        await using var spark = await StreamingSession.ConnectAsync(Cluster(), new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema(InputFiles.Schema).Load(temp.Combine("input"))
            .WriteStream().QueryName("unattended").Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.ProcessingTime(TimeSpan.FromSeconds(1)))
            .StartAsync(temp.Combine("table"));
        await WaitForCommitsAsync(1, () => $"before the client left: {query.Status}");
        Assert.StartsWith("Running on ", query.Status, StringComparison.Ordinal);
        return query.Status["Running on ".Length..];
    }

    private async Task DropFilesAndWaitForThemAsync(int count, Func<string> when)
    {
        var committed = Committed();
        await WaitForCommitsAsync(committed + DropFiles(count), when);
    }

    /// <summary>Writes the next files (one batch each: maxFilesPerTrigger is 1); returns how many.</summary>
    private int DropFiles(int count)
    {
        for (var i = 0; i < count; i++)
        {
            InputFiles.Write(temp.Combine("input"), files++, RowsPerFile);
        }

        return count;
    }

    private Task WaitForCommitsAsync(int count, Func<string> when) =>
        Polling.UntilAsync(() => Task.FromResult(Committed() >= count), Patience,
            () => $"{Committed()} batches committed, expected {count} {when()}:\n{string.Join("\n", silos.Select(s => $"silo {s.SiloPort}:\n{s.Output()}"))}");

    private int Committed() =>
        Directory.Exists(temp.Combine("checkpoint", "commits")) ? Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length : 0;

    private void AssertEveryRowOnce()
    {
        var ids = DuckDbDelta.ReadRows(temp.Combine("table")).Select(r => r!["id"]!.GetValue<long>()).Order();
        Assert.Equal(Enumerable.Range(0, files * RowsPerFile).Select(i => (long)i), ids);
    }

    private static int Activations(SimpleGrainStatistic[] statistics, string grainClass) =>
        statistics.Where(s => s.GrainType.Contains(grainClass, StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
}
