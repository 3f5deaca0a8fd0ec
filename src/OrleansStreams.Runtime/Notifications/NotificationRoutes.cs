using OrleansStreams.Runtime.Grains;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// The silo's copy of the registered sources, shared by its pulling agents: refreshed from the registry grain
/// every <see cref="NotificationOptions.RouteRefreshInterval"/>, or at once when an event finds no source
/// (a source registered a moment ago elsewhere).
/// </summary>
public sealed class NotificationRoutes(IGrainFactory grains, NotificationQueues queues)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private SourceRouter current = SourceRouter.Empty;
    private DateTimeOffset refreshed = DateTimeOffset.MinValue;

    public async Task<SourceRouter> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && DateTimeOffset.UtcNow - refreshed < queues.Options.RouteRefreshInterval)
        {
            return current;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!refresh && DateTimeOffset.UtcNow - refreshed < queues.Options.RouteRefreshInterval)
            {
                return current;
            }

            if (await grains.GetGrain<INotificationRegistryGrain>(0).GetIfChangedAsync(current.Version).WaitAsync(cancellationToken).ConfigureAwait(false) is { } changed)
            {
                current = new SourceRouter(changed);
            }

            refreshed = DateTimeOffset.UtcNow;
            return current;
        }
        finally
        {
            gate.Release();
        }
    }
}
