using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The cluster's notification-mode sources (key 0): a discovery grain registers its source when it starts,
/// and the notification stream's pulling agents read the list to know which queues to pull and where each
/// event goes. Kept in grain storage, so the routes survive restarts before any query resumes.
/// </summary>
public interface INotificationRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or replaces the subscription of a source (by its checkpoint folder).</summary>
    Task RegisterAsync(NotificationSubscription subscription);

    /// <summary>The subscriptions, or null when they are still at <paramref name="knownVersion"/>.</summary>
    Task<NotificationSubscriptions?> GetIfChangedAsync(long knownVersion);
}

public sealed class NotificationRegistryState
{
    public long Version { get; set; }

    public List<NotificationSubscription> Subscriptions { get; set; } = [];
}

public sealed class NotificationRegistryGrain(
    [PersistentState("notifications", OrleansStreamsSilo.CheckpointStorage)] IPersistentState<NotificationRegistryState> state) : Grain, INotificationRegistryGrain
{
    public async Task RegisterAsync(NotificationSubscription subscription)
    {
        var index = state.State.Subscriptions.FindIndex(s => s.Source.CheckpointFolder == subscription.Source.CheckpointFolder);
        if (index >= 0 && state.State.Subscriptions[index] == subscription)
        {
            return;
        }

        if (index >= 0)
        {
            state.State.Subscriptions[index] = subscription;
        }
        else
        {
            state.State.Subscriptions.Add(subscription);
        }

        state.State.Version++;
        await state.WriteStateAsync();
    }

    public Task<NotificationSubscriptions?> GetIfChangedAsync(long knownVersion) =>
        Task.FromResult(knownVersion == state.State.Version ? null : new NotificationSubscriptions(state.State.Version, [.. state.State.Subscriptions]));
}
