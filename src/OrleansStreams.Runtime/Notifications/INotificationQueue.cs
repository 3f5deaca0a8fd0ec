namespace OrleansStreams.Runtime.Notifications;

/// <summary>A message taken from a notification queue: its receipt proves this receiver still holds it.</summary>
public sealed record ReceivedQueueMessage(string Id, string PopReceipt, long DequeueCount, string Body);

/// <summary>
/// What the notification provider needs of one storage queue: receive with a visibility timeout, delete and
/// extend by pop receipt, send, create. Azure Storage queues in production (<see cref="AzureNotificationQueue"/>),
/// <see cref="InMemoryNotificationQueues"/> where the emulator's queue would be the bottleneck.
/// </summary>
public interface INotificationQueue
{
    /// <summary>Up to <paramref name="count"/> visible messages, each hidden for <paramref name="visibilityTimeout"/>; null when the queue does not exist.</summary>
    Task<IReadOnlyList<ReceivedQueueMessage>?> ReceiveAsync(int count, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Deletes a received message; false when the receipt is stale (it became visible and was received again) or the message is gone.</summary>
    Task<bool> DeleteAsync(string id, string popReceipt, CancellationToken cancellationToken);

    /// <summary>Hides a received message for <paramref name="visibilityTimeout"/> from now; its new pop receipt, or null when the receipt is stale.</summary>
    Task<string?> UpdateVisibilityAsync(string id, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    Task SendAsync(string body, CancellationToken cancellationToken);

    Task CreateIfNotExistsAsync(CancellationToken cancellationToken);
}

/// <summary>Opens the queues a connection names: one object per queue, shared by the silo's agents.</summary>
public interface INotificationQueueService
{
    INotificationQueue Open(QueueConnection queue);
}
