using Microsoft.Extensions.Logging;
using OrleansStreams.Runtime.Grains;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// The silo's copy of the registered sources, shared by its pulling agents: refreshed from the registry grain
/// every <see cref="NotificationOptions.RouteRefreshInterval"/>, or at once when an event finds no source
/// (a source registered a moment ago elsewhere). One refresh runs at a time, and agents wait for it only
/// briefly: while the registry is unreachable (its silo just died) they go on with the routes they have.
/// </summary>
public sealed partial class NotificationRoutes(IGrainFactory grains, NotificationQueues queues, ILogger<NotificationRoutes> logger)
{
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(5);

    private readonly Lock sync = new();
    private SourceRouter current = SourceRouter.Empty;
    private DateTimeOffset refreshed = DateTimeOffset.MinValue;
    private Task<SourceRouter>? refreshing;

    public async Task<SourceRouter> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && DateTimeOffset.UtcNow - refreshed < queues.Options.RouteRefreshInterval)
        {
            return current;
        }

        Task<SourceRouter> task;
        lock (sync)
        {
            task = refreshing ??= RefreshAsync();
        }

        try
        {
            return await task.WaitAsync(RefreshWait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            LogRegistryUnavailable(e, current.Version);
            return current;
        }
    }

    private async Task<SourceRouter> RefreshAsync()
    {
        try
        {
            if (await grains.GetGrain<INotificationRegistryGrain>(0).GetIfChangedAsync(current.Version).ConfigureAwait(false) is { } changed)
            {
                current = new SourceRouter(changed);
            }

            refreshed = DateTimeOffset.UtcNow;
            return current;
        }
        finally
        {
            lock (sync)
            {
                refreshing = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification registry is not answering; the agents go on with the routes of version {Version}")]
    private partial void LogRegistryUnavailable(Exception exception, long version);
}
