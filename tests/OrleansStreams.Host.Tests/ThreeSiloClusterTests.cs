using Apache.Arrow;
using Orleans.Runtime;
using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// Three silo host processes form a cluster on Azurite's Table service. A client connected through the gateway
/// list runs a query; the silo running its grain is SIGKILLed, and later the next one is stopped gracefully
/// (SIGTERM). The cluster must declare the killed silo dead, and the query must carry on elsewhere and land
/// every row exactly once.
/// </summary>
public sealed class ThreeSiloClusterTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

    private const int Files = 120;
    private const int RowsPerFile = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TempDirectory temp = new("three-silos");
    private readonly string clusterId = $"three-{Guid.NewGuid():N}";
    private readonly List<SiloProcess> silos = [];

    public void Dispose()
    {
        foreach (var silo in silos)
        {
            silo.Dispose();
        }

        temp.Dispose();
    }

    [Fact]
    public async Task A_killed_silo_is_declared_dead_and_its_query_carries_on_elsewhere_losing_nothingAsync()
    {
        for (var i = 0; i < Files; i++)
        {
            InputFiles.Write(temp.Combine("input"), i, RowsPerFile);
        }

        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__OrleansStreams"] = "Information",
            ["OrleansStreams__Cluster__Clustering"] = "AzureTable",
            ["OrleansStreams__Cluster__ClusterId"] = clusterId,
            ["OrleansStreams__Cluster__ConnectionString"] = azurite.ConnectionString,
            ["OrleansStreams__Silo__StateRoot"] = temp.Combine("state"),
            ["OrleansStreams__Silo__BatchShutdownGrace"] = "00:00:05",
            // Quick failure detection for a test: probe every second, suspect after two misses.
            ["OrleansStreams__Membership__ProbeTimeout"] = "00:00:01",
            ["OrleansStreams__Membership__NumMissedProbesLimit"] = "2",
            ["OrleansStreams__Membership__TableRefreshTimeout"] = "00:00:02",
            ["OrleansStreams__Membership__IAmAliveTablePublishTimeout"] = "00:00:02",
        };
        for (var i = 0; i < 3; i++)
        {
            silos.Add(SiloProcess.Start(settings));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var silo in silos)
        {
            await Polling.UntilAsync(async () => (await http.GetAsync($"{silo.Url}/readyz")).IsSuccessStatusCode, Patience, () => $"silo {silo.SiloPort} never became ready:\n{silo.Output()}");
        }

        Phase("three silos ready");
        var cluster = new ClusterSettings
        {
            Clustering = ClusteringMode.AzureTable,
            ClusterId = clusterId,
            Table = new AzureTableClusteringOptions { ConnectionString = azurite.ConnectionString },
        };
        await using var spark = await StreamingSession.ConnectAsync(cluster, new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        await using var connection = await ClusterConnection.ConnectAsync(cluster);
        var management = connection.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(3, (await management.GetHosts(onlyActive: true)).Count);
        var runs = new RunIds(); // RecentProgress keeps only the last 100 batches, as Spark's does; the listener hears them all
        Phase("client connected");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema(InputFiles.Schema).Load(temp.Combine("input"))
            .WriteStream().QueryName("three_silos").Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.AvailableNow).Listener(runs)
            .StartAsync(temp.Combine("table"));

        // SIGKILL the silo running the query grain a few batches in, once the handle has seen that run's progress
        // (it lives in the activation's memory only, so a run killed between two polls would go unseen).
        await Polling.UntilAsync(() => Task.FromResult(Committed() >= 5 && runs.Count >= 1), Patience, () => $"the query did not get going: {query.Status}");
        Phase("query running");
        var first = Running(query);
        first.Kill();
        var committedAtKill = Committed();

        await Polling.UntilAsync(async () =>
        {
            try
            {
                // Briefly: a call to the management grain's activation on the killed silo hangs until the response timeout.
                var hosts = await management.GetHosts().WaitAsync(TimeSpan.FromSeconds(2));
                return hosts.Single(h => first.Is(h.Key.ToString())).Value == SiloStatus.Dead && hosts.Count(h => h.Value == SiloStatus.Active) == 2;
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                return false; // it was on the killed silo: it comes back elsewhere once the silo is declared dead
            }
        }, Patience, () => $"the killed silo {first.SiloPort} was not declared dead");
        Phase("killed silo declared dead");

        // The query carries on on another silo; stop that one gracefully mid-stream too.
        await Polling.UntilAsync(() => Task.FromResult(Committed() >= committedAtKill + 5 && runs.Count >= 2 && silos.Any(s => !s.HasExited && s.Is(SiloOf(query)))), Patience,
            () => $"the query did not carry on after the kill: {Committed()} batches, {query.Status}");
        Assert.True(Committed() < Files, "the query finished before the graceful stop could be tried; give it more files");
        Phase("query carried on");
        var second = Running(query);
        second.Terminate();
        Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(40)), $"silo {second.SiloPort} did not stop gracefully:\n{second.Output()}");
        Assert.True(second.ExitCode == 0, $"silo {second.SiloPort} exited with {second.ExitCode}:\n{second.Output()}");
        Assert.Contains("Query grain on", second.Output()); // its query grain was deactivated on the way out, not dropped

        Phase("graceful stop done");
        Assert.True(await query.AwaitTerminationAsync(Patience), $"the query did not finish on the last silo: {Committed()} batches, {query.Status}");
        Assert.Null(query.Exception);

        // Each silo's activation ran batches under its own run id: the stopping silo handed the rest over.
        Assert.True(runs.Count >= 3, $"batches ran in {runs.Count} activations, expected one on each silo in turn");

        Phase("query finished");
        var ids = new List<long>();
        var delta = new DeltaTable(new LocalFileObjectStore(temp.Combine("table")));
        await foreach (var batch in delta.ReadAsync(await delta.GetSnapshotAsync(), ["id"]))
        {
            var column = (Int64Array)batch.Column(0);
            ids.AddRange(Enumerable.Range(0, column.Length).Select(i => column.GetValue(i)!.Value));
        }

        Assert.Equal(Enumerable.Range(0, Files * RowsPerFile).Select(i => (long)i), ids.Order());

        // The client reattaches to the finished query by name.
        var attached = await spark.AttachByNameAsync("three_silos");
        Assert.Equal(query.Id, attached.Id);
    }

    private void Phase(string what) => log.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {what} ({Committed()} batches committed)");

    private int Committed() =>
        Directory.Exists(temp.Combine("checkpoint", "commits")) ? Directory.GetFiles(temp.Combine("checkpoint", "commits")).Length : 0;

    private static string? SiloOf(StreamingQuery query) => query.Status.StartsWith("Running on ", StringComparison.Ordinal) ? query.Status["Running on ".Length..] : null;

    private SiloProcess Running(StreamingQuery query) =>
        silos.SingleOrDefault(s => !s.HasExited && s.Is(SiloOf(query))) ?? throw new InvalidOperationException($"no live silo runs the query: {query.Status}");

    /// <summary>The run ids of every batch's progress the query's handle reports.</summary>
    private sealed class RunIds : IStreamingQueryListener
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> seen = new();

        public int Count => seen.Count;

        public void OnQueryProgress(StreamingQuery query, StreamingQueryProgress progress) => seen.TryAdd(progress.RunId, true);
    }
}
