using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// The queue adapter of the notification stream provider. Reading: one receiver per pulling agent.
/// Writing: <see cref="BlobCreatedEvent"/>s produced on a stream of <see cref="NotificationStreams.QueueNamespace"/>
/// keyed by a queue name go to that queue as Event Grid JSON arrays, each message within the 64 KiB limit.
/// </summary>
internal sealed class BlobEventQueueAdapter(string name, NotificationQueues queues, NotificationRoutes routes, ILoggerFactory loggers) : IQueueAdapter
{
    private readonly ConcurrentDictionary<string, Task> created = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new BlobEventQueueReceiver(queues, routes, loggers.CreateLogger<BlobEventQueueReceiver>());

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (typeof(T) != typeof(BlobCreatedEvent))
        {
            throw new NotSupportedException($"The {Name} stream provider carries {nameof(BlobCreatedEvent)}s, not {typeof(T).Name}");
        }

        if (streamId.GetNamespace() != NotificationStreams.QueueNamespace)
        {
            throw new ArgumentException($"Produce blob events on a stream of namespace {NotificationStreams.QueueNamespace} keyed by the queue name, not on {streamId}", nameof(streamId));
        }

        var queue = queues.Default(streamId.GetKeyAsString());
        var client = queues.Client(queue);
        await created.GetOrAdd(queue.Address(), _ => client.CreateIfNotExistsAsync(CancellationToken.None)).ConfigureAwait(false);
        foreach (var message in MessagePacker.Pack(events.Cast<BlobCreatedEvent>().Select(e => BlobEventJson.Write(e, EventSchema.EventGrid))))
        {
            await client.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
