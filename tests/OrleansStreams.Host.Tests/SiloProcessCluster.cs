using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// Silo host processes that form one cluster on Azurite's Table service (<see cref="SiloProcessSettings"/>); the
/// processes end with the test.
/// </summary>
internal sealed class SiloProcessCluster(AzuriteFixture azurite, TempDirectory temp, string name) : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public string ClusterId { get; } = $"{name}-{Guid.NewGuid():N}";

    public List<SiloProcess> Silos { get; } = [];

    /// <summary>The silos' settings (Development, Azure Table clustering, registries under the test's folder), with <paramref name="extra"/> on top.</summary>
    public Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = SiloProcessSettings.ForCluster(ClusterId, azurite.ConnectionString, temp.Combine("state"));
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>How a client reaches the cluster.</summary>
    public ClusterSettings Client() => new()
    {
        Clustering = ClusteringMode.AzureTable,
        ClusterId = ClusterId,
        ServiceId = ClusterId,
        Table = new AzureTableClusteringOptions { ConnectionString = azurite.ConnectionString },
    };

    /// <summary>Starts <paramref name="count"/> silo processes and waits until each is ready.</summary>
    public async Task<List<SiloProcess>> StartAsync(IReadOnlyDictionary<string, string> settings, int count)
    {
        var started = Enumerable.Range(0, count).Select(_ => SiloProcess.Start(settings)).ToList();
        Silos.AddRange(started);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var silo in started)
        {
            await Polling.UntilAsync(async () => (await http.GetAsync($"{silo.Url}/readyz")).IsSuccessStatusCode, Patience, () => $"silo {silo.SiloPort} never became ready:\n{silo.Output()}");
        }

        return started;
    }

    /// <summary>The live silo process that runs <paramref name="query"/>.</summary>
    public SiloProcess Running(StreamingQuery query) =>
        Silos.SingleOrDefault(s => !s.HasExited && s.Is(SiloOf(query))) ?? throw new InvalidOperationException($"no live silo runs the query: {query.Status}");

    /// <summary>What every silo printed, for failure messages.</summary>
    public string Output() => string.Join("\n", Silos.Select(s => $"silo {s.SiloPort}:\n{s.Output()}"));

    public void Dispose()
    {
        foreach (var silo in Silos)
        {
            silo.Dispose();
        }
    }

    private static string? SiloOf(StreamingQuery query) => query.Status.StartsWith("Running on ", StringComparison.Ordinal) ? query.Status["Running on ".Length..] : null;
}
