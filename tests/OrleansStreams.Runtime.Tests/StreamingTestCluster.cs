using Orleans.TestingHost;
using OrleansStreams.Runtime.Hosting;

namespace OrleansStreams.Runtime.Tests;

/// <summary>In-process silos running the streaming runtime: in-memory reminders, quick polling, the registries under a test's folder.</summary>
internal static class StreamingTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(int silos, string stateRoot, IReadOnlyList<string>? allowedLocations = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) => silo.UseInMemoryReminderService().AddOrleansStreams(
            new OrleansStreamsSiloOptions { StateRoot = stateRoot, PollInterval = TimeSpan.FromMilliseconds(50), AllowedLocations = allowedLocations }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
