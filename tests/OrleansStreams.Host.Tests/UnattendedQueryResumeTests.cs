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
public sealed class UnattendedQueryResumeTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int RowsPerFile = 10;
    private const string ReminderPeriod = "00:00:10";
    private static readonly TimeSpan Patience = SiloProcessCluster.Patience;

    private readonly Xunit.Abstractions.ITestOutputHelper log;
    private readonly TempDirectory temp;
    private readonly SiloProcessCluster cluster;
    private int files;

    public UnattendedQueryResumeTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper log)
    {
        this.log = log;
        temp = new("unattended");
        cluster = new SiloProcessCluster(azurite, temp, "unattended");
    }

    public void Dispose()
    {
        cluster.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task A_query_resumes_by_itself_after_the_silo_running_it_is_killedAsync()
    {
        var settings = Settings();
        await StartSilosAsync(settings, 2);
        var running = await StartQueryAndLeaveAsync();

        var killed = cluster.Silos.Single(s => s.Is(running));
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

        foreach (var silo in cluster.Silos)
        {
            silo.Terminate();
        }

        foreach (var silo in cluster.Silos)
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

    private Dictionary<string, string> Settings() => cluster.Settings(("OrleansStreams__Silo__ResumeReminderPeriod", ReminderPeriod));

    private ClusterSettings Cluster() => cluster.Client();

    private Task StartSilosAsync(Dictionary<string, string> settings, int count) => cluster.StartAsync(settings, count);

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
            () => $"{Committed()} batches committed, expected {count} {when()}:\n{cluster.Output()}");

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
