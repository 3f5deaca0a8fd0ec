using System.Collections.Concurrent;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// In-memory queues by name (the account a connection names plays no part), shared by every silo given this
/// object through <see cref="NotificationOptions.QueueService"/>: an in-process cluster's silos compete for them.
/// </summary>
public sealed class InMemoryNotificationQueues(TimeProvider? time = null) : INotificationQueueService
{
    private readonly ConcurrentDictionary<string, InMemoryNotificationQueue> queues = new(StringComparer.Ordinal);

    /// <summary>The queue of this name (not created until <see cref="InMemoryNotificationQueue.CreateIfNotExistsAsync"/>).</summary>
    public InMemoryNotificationQueue Queue(string name) => queues.GetOrAdd(name, _ => new InMemoryNotificationQueue(time));

    public INotificationQueue Open(QueueConnection queue) => Queue(queue.QueueName);
}
