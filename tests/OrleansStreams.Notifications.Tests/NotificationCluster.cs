using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>An in-process cluster whose silos run the notification stream provider against Azurite, with their logs captured.</summary>
public sealed class NotificationCluster : IAsyncDisposable
{
    private NotificationCluster(InProcessTestCluster cluster, TempDirectory temp, StorageOptions storage, LogCapture logs)
    {
        Cluster = cluster;
        Temp = temp;
        Storage = storage;
        Logs = logs;
    }

    public InProcessTestCluster Cluster { get; }

    public TempDirectory Temp { get; }

    public StorageOptions Storage { get; }

    public LogCapture Logs { get; }

    public static async Task<NotificationCluster> StartAsync(AzuriteFixture azurite, int silos = 1, NotificationOptions? notifications = null)
    {
        var temp = new TempDirectory("notify");
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var logs = new LogCapture();
        var options = new OrleansStreamsSiloOptions
        {
            StateRoot = temp.Combine("state"),
            Storage = storage,
            PollInterval = TimeSpan.FromMilliseconds(50),
            Notifications = notifications ?? new NotificationOptions { PollInterval = TimeSpan.FromMilliseconds(100), RouteRefreshInterval = TimeSpan.FromMilliseconds(500) },
        };
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            // A killed silo is declared dead within seconds, so its grains move soon (production keeps Orleans' defaults).
            silo.Configure<Orleans.Configuration.ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = TimeSpan.FromSeconds(1);
                m.NumMissedProbesLimit = 2;
                m.NumVotesForDeathDeclaration = 1;
            });
            silo.UseInMemoryReminderService().AddOrleansStreams(options);
            silo.Services.AddSingleton<ILoggerFactory>(logs);
        });
        // A call in flight through a gateway that dies fails after this instead of the default 30 s, so the query's
        // status polling moves on to a live silo soon.
        builder.ConfigureClient(client => client.Configure<Orleans.Configuration.ClientMessagingOptions>(m => m.ResponseTimeout = TimeSpan.FromSeconds(10)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new NotificationCluster(cluster, temp, storage, logs);
    }

    /// <summary>A session whose queries run on this cluster, with local tables and checkpoints.</summary>
    public StreamingSession Session() =>
        StreamingSession.Connect(Cluster.Client, new StreamingSessionOptions { Warehouse = Temp.Combine("warehouse"), Storage = Storage, PollInterval = TimeSpan.FromMilliseconds(50) });

    /// <summary>Waits until the source with this checkpoint is registered, so its events are routed.</summary>
    /// <summary>Waits until the query's source is registered for notifications and has made its first listing (its time is in the checkpoint), so files uploaded from now on reach it only through their events.</summary>
    public async Task RegisteredAsync(string checkpoint)
    {
        await Eventually.TrueAsync(
            async () => (await Cluster.Client.GetGrain<INotificationRegistryGrain>(0).GetIfChangedAsync(-1))!.Subscriptions
                .Any(s => s.Source.CheckpointFolder.StartsWith(Path.GetFullPath(checkpoint), StringComparison.Ordinal)),
            $"the source of {checkpoint} to register");
        await Eventually.TrueAsync(
            () => Directory.Exists(checkpoint) && Directory.GetFiles(checkpoint, "listing", SearchOption.AllDirectories).Length > 0,
            $"the source of {checkpoint} to list its folder");
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Temp.Dispose();
    }
}
