using Azure;
using Azure.Storage.Queues;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// An Azure Storage queue (or Azurite's) behind <see cref="INotificationQueue"/>: a 404 on receive means the
/// queue is missing, on delete or update that the pop receipt is stale. Other failures are thrown as they come.
/// </summary>
public sealed class AzureNotificationQueue(QueueClient client) : INotificationQueue
{
    public QueueClient Client { get; } = client;

    public async Task<IReadOnlyList<ReceivedQueueMessage>?> ReceiveAsync(int count, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            var messages = (await Client.ReceiveMessagesAsync(count, visibilityTimeout, cancellationToken).ConfigureAwait(false)).Value;
            return Array.ConvertAll(messages, m => new ReceivedQueueMessage(m.MessageId, m.PopReceipt, m.DequeueCount, m.Body.ToString()));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string id, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteMessageAsync(id, popReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<string?> UpdateVisibilityAsync(string id, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return (await Client.UpdateMessageAsync(id, popReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false)).Value.PopReceipt;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task SendAsync(string body, CancellationToken cancellationToken) => Client.SendMessageAsync(body, cancellationToken);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken) => Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
}
