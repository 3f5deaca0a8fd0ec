using OrleansStreams.Clustering;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Soak;

/// <summary>
/// Three silo host processes clustered on Azurite's Table service, their storage (tables, checkpoints, registries)
/// reached through the fault proxy. <see cref="KillOneAsync"/> SIGKILLs a silo drawn at random and starts a
/// replacement, so three keep running.
/// </summary>
public sealed class SoakCluster : IDisposable
{
    public const int Size = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, string> settings;
    private readonly string tableConnectionString;
    private readonly Random random;
    private readonly List<SiloProcess> live = [];
    private readonly List<SiloProcess> dead = [];

    public SoakCluster(string azuriteConnectionString, string proxiedConnectionString, string stateRoot, int seed)
    {
        ClusterId = $"soak-{Guid.NewGuid():N}";
        tableConnectionString = azuriteConnectionString;
        random = new Random(seed);
        settings = SiloProcessSettings.ForCluster(ClusterId, proxiedConnectionString, stateRoot);
        settings["OrleansStreams__Storage__ConnectionString"] = proxiedConnectionString;
        settings["OrleansStreams__Silo__ResumeReminderPeriod"] = "00:00:10";
    }

    public string ClusterId { get; }

    public int Started { get; private set; }

    public int Killed => dead.Count;

    /// <summary>How a client reaches the cluster (the membership table directly, not through the proxy).</summary>
    public ClusterSettings Client() => new()
    {
        Clustering = ClusteringMode.AzureTable,
        ClusterId = ClusterId,
        ServiceId = ClusterId,
        Table = new AzureTableClusteringOptions { ConnectionString = tableConnectionString },
    };

    public async Task StartAsync()
    {
        var silos = Enumerable.Range(0, Size).Select(_ => Start()).ToList();
        foreach (var silo in silos)
        {
            await WaitReadyAsync(silo);
        }
    }

    /// <summary>SIGKILLs a live silo drawn at random and starts another in its place; returns the killed silo.</summary>
    public async Task<SiloProcess> KillOneAsync()
    {
        var victim = live[random.Next(live.Count)];
        victim.Kill();
        live.Remove(victim);
        dead.Add(victim);
        await WaitReadyAsync(Start());
        return victim;
    }

    /// <summary>What the silos printed, for a failure report: the live ones' and the last killed one's.</summary>
    public string Output() =>
        string.Join("\n", live.Concat(dead.TakeLast(1)).Select(s => $"--- silo {s.SiloPort}{(s.HasExited ? " (killed)" : string.Empty)}:\n{s.Output()}"));

    public void Dispose()
    {
        foreach (var silo in live.Concat(dead))
        {
            silo.Dispose();
        }
    }

    private SiloProcess Start()
    {
        var silo = SiloProcess.Start(settings);
        live.Add(silo);
        Started++;
        return silo;
    }

    private static async Task WaitReadyAsync(SiloProcess silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Polling.UntilAsync(async () => (await http.GetAsync($"{silo.Url}/readyz")).IsSuccessStatusCode,
            Patience, () => $"silo {silo.SiloPort} never became ready:\n{silo.Output()}");
    }
}
