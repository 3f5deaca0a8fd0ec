using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// One pulling agent's reader: it receives messages from every queue a source reads (agents compete for
/// them), parses the Event Grid events, and hands each source the files meant for it as one stream item.
/// A message is deleted once every item made from it was delivered — the discovery grain returns only after
/// its file log segment is written — so a silo dying mid-way leaves it to reappear after the visibility
/// timeout. Unusable messages go to the poison queue; nothing stops the stream. An agent holds at most
/// <see cref="NotificationOptions.MaxHeldMessages"/> messages received and not yet deleted, and hides those it
/// still holds half-way through their visibility timeout for another one, so none comes back while it waits.
/// </summary>
internal sealed partial class BlobEventQueueReceiver(NotificationQueues queues, NotificationRoutes routes, ILogger logger) : IQueueAdapterReceiver
{
    private const int MaxMessagesPerReceive = 32;
    private static readonly TimeSpan MaxIdleBackoff = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, (List<ReceivedMessage> Messages, long Made)> pending = []; // Made: a Stopwatch timestamp
    private readonly Dictionary<string, (DateTimeOffset Next, TimeSpan Backoff)> idle = new(StringComparer.Ordinal);
    private readonly HashSet<string> missing = new(StringComparer.Ordinal); // queues reported missing, so the warning comes once
    private readonly HashSet<ReceivedMessage> held = []; // received, waiting for their items' delivery
    private long sequence;
    private bool stopped;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var containers = new List<IBatchContainer>();
        if (stopped)
        {
            return containers;
        }

        await ExtendAsync(cancellationToken).ConfigureAwait(false);
        ForgetExpired();
        var router = await routes.GetAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        var perReceive = Math.Clamp(queues.Options.MessagesPerReceive, 1, MaxMessagesPerReceive);
        foreach (var (address, connection) in router.Queues.ToList())
        {
            var now = DateTimeOffset.UtcNow;
            if (idle.TryGetValue(address, out var wait) && wait.Next > now)
            {
                continue;
            }

            // Back-pressure: while the agent holds its fill, the rest waits on the queue, where nobody's timeout runs.
            var count = Math.Min(maxCount <= 0 ? perReceive : Math.Min(maxCount, perReceive), queues.Options.MaxHeldMessages - held.Count);
            if (count <= 0)
            {
                break;
            }

            var client = queues.Client(connection);
            var receiving = Stopwatch.GetTimestamp();
            var messages = await client.ReceiveAsync(count, queues.Options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
            NotificationMetrics.RecordStage("receive", receiving);
            if (messages is null)
            {
                if (missing.Add(address))
                {
                    LogMissingQueue(connection, string.Join(", ", router.FoldersOf(address)));
                }

                idle[address] = (now + MaxIdleBackoff, MaxIdleBackoff);
                continue;
            }

            missing.Remove(address);

            if (messages.Count == 0)
            {
                // An empty queue is asked less and less often (up to once a second) until it has messages again.
                var backoff = idle.TryGetValue(address, out var last) ? TimeSpan.FromTicks(Math.Min(last.Backoff.Ticks * 2, MaxIdleBackoff.Ticks)) : queues.Options.PollInterval;
                idle[address] = (now + backoff, backoff);
                continue;
            }

            idle.Remove(address);
            NotificationMetrics.MessagesReceived.Add(messages.Count);
            (router, var made) = await RouteAsync(router, address, connection, client, messages, cancellationToken).ConfigureAwait(false);
            containers.AddRange(made);
        }

        return containers;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        var done = new List<ReceivedMessage>();
        foreach (var container in messages)
        {
            if (pending.Remove(((EventSequenceTokenV2)container.SequenceToken).SequenceNumber, out var item))
            {
                NotificationMetrics.RecordStage("deliver", item.Made);
                done.AddRange(item.Messages.Where(m => --m.Outstanding == 0 && held.Remove(m)));
            }
        }

        // Awaited, so the agent's next receive waits for them: on Azurite, deletes left running in the background
        // slowed its queue's receives and let messages outlive their visibility timeout (measured in the bench).
        if (done.Count > 0)
        {
            var deleting = Stopwatch.GetTimestamp();
            await Task.WhenAll(done.Select(m => DeleteAsync(m, cancellationToken))).ConfigureAwait(false);
            NotificationMetrics.RecordStage("delete", deleting);
        }
    }

    public Task Shutdown(TimeSpan timeout)
    {
        stopped = true;
        held.Clear();
        pending.Clear(); // undeleted messages reappear after their visibility timeout, for the agent that takes this queue over
        return Task.CompletedTask;
    }

    private async Task<(SourceRouter Router, List<IBatchContainer> Containers)> RouteAsync(
        SourceRouter router, string address, QueueConnection connection, INotificationQueue client, IReadOnlyList<ReceivedQueueMessage> messages, CancellationToken cancellationToken)
    {
        var routing = Stopwatch.GetTimestamp();
        var bySource = new Dictionary<string, (NotifiedFiles Files, List<NotifiedFile> List, List<ReceivedMessage> Messages)>(StringComparer.Ordinal);
        var finished = new List<ReceivedMessage>();
        var refreshed = false;
        foreach (var message in messages)
        {
            var received = new ReceivedMessage(client, message.Id, message.PopReceipt, DateTimeOffset.UtcNow + queues.Options.VisibilityTimeout);
            var text = message.Body;
            if (message.DequeueCount > queues.Options.MaxDequeueCount)
            {
                await PoisonAsync(connection, received, text, $"it was received {message.DequeueCount} times without its files being logged", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (message.DequeueCount > 1)
            {
                LogRedelivered(message.Id, connection, message.DequeueCount);
            }

            var parsed = BlobEventParser.ParseQueueMessage(text);
            if (parsed.Error is not null || parsed.Created.Count == 0)
            {
                var reason = parsed.Error ?? $"it holds no {BlobCreatedEvent.EventType} event ({string.Join(", ", parsed.Foreign.Concat(parsed.Validations.Select(_ => "SubscriptionValidation")))})";
                await PoisonAsync(connection, received, text, reason, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (parsed.Foreign.Count > 0)
            {
                NotificationMetrics.EventsIgnored.Add(parsed.Foreign.Count);
                LogForeignEvents(message.Id, connection, string.Join(", ", parsed.Foreign));
            }

            foreach (var blob in parsed.Created)
            {
                if (!blob.IsComplete)
                {
                    NotificationMetrics.EventsIgnored.Add(1);
                    continue;
                }

                var routed = router.Route(address, blob);
                if (routed.Count == 0 && !refreshed)
                {
                    router = await routes.GetAsync(refresh: true, cancellationToken).ConfigureAwait(false);
                    refreshed = true;
                    routed = router.Route(address, blob);
                }

                if (routed.Count == 0)
                {
                    NotificationMetrics.EventsUnmatched.Add(1);
                    LogOutsideSources(blob.Url, connection, string.Join(", ", router.FoldersOf(address)));
                    continue;
                }

                foreach (var (subscription, file) in routed)
                {
                    var folder = subscription.Source.CheckpointFolder;
                    if (!bySource.TryGetValue(folder, out var entry))
                    {
                        var files = new List<NotifiedFile>();
                        entry = (new NotifiedFiles(subscription.Source, files), files, []);
                        bySource[folder] = entry;
                    }

                    entry.List.Add(file);
                    if (!entry.Messages.Contains(received))
                    {
                        entry.Messages.Add(received);
                        received.Outstanding++;
                    }
                }
            }

            if (received.Outstanding == 0)
            {
                finished.Add(received); // nothing in it for any source: done with it
            }
            else
            {
                held.Add(received);
            }
        }

        var made = Stopwatch.GetTimestamp();
        NotificationMetrics.RecordStage("route", routing);
        await Task.WhenAll(finished.Select(m => DeleteAsync(m, cancellationToken))).ConfigureAwait(false);
        var containers = new List<IBatchContainer>(bySource.Count);
        foreach (var (folder, entry) in bySource)
        {
            var number = sequence++;
            pending[number] = (entry.Messages, made);
            NotificationMetrics.FilesRouted.Add(entry.List.Count);
            containers.Add(new BlobEventBatchContainer(StreamId.Create(NotificationStreams.DiscoveryNamespace, folder), entry.Files, new EventSequenceTokenV2(number)));
        }

        return (router, containers);
    }

    /// <summary>
    /// Moves a message, unchanged so it can be put back once fixed, to the queue's poison queue, and logs why.
    /// When that fails the message stays where it is and is tried again after its visibility timeout.
    /// </summary>
    private async Task PoisonAsync(QueueConnection connection, ReceivedMessage message, string text, string reason, CancellationToken cancellationToken)
    {
        NotificationMetrics.MessagesPoisoned.Add(1);
        var poisonName = connection.QueueName + queues.Options.PoisonQueueSuffix;
        LogPoisoned(message.Id, connection, poisonName, reason, BlobEventParser.Excerpt(text));
        try
        {
            var poison = await queues.PoisonAsync(connection, cancellationToken).ConfigureAwait(false);
            await poison.SendAsync(text, cancellationToken).ConfigureAwait(false);
            await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            queues.ForgetPoison(connection);
            LogPoisonFailed(e, message.Id, poisonName);
        }
    }

    private async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (await message.Queue.DeleteAsync(message.Id, message.PopReceipt, cancellationToken).ConfigureAwait(false))
            {
                NotificationMetrics.MessagesDeleted.Add(1);
            }
            else
            {
                // Its visibility timeout ran out and another agent received it again: that copy is deleted when it is delivered.
                LogDeleteRaced(message.Id);
            }
        }
        catch (RequestFailedException e)
        {
            LogDeleteFailed(e, message.Id);
        }
    }

    /// <summary>
    /// Hides the messages still held for another visibility timeout once half of theirs has passed (their items
    /// wait in the stream's cache or for a busy discovery grain). A message whose receipt went stale is let go.
    /// </summary>
    private async Task ExtendAsync(CancellationToken cancellationToken)
    {
        var timeout = queues.Options.VisibilityTimeout;
        var due = DateTimeOffset.UtcNow + (timeout / 2);
        var extending = held.Where(m => m.HiddenUntil < due).ToList();
        if (extending.Count == 0)
        {
            return;
        }

        await Task.WhenAll(extending.Select(async m =>
        {
            try
            {
                var receipt = await m.Queue.UpdateVisibilityAsync(m.Id, m.PopReceipt, timeout, cancellationToken).ConfigureAwait(false);
                if (receipt is not null)
                {
                    (m.PopReceipt, m.HiddenUntil) = (receipt, DateTimeOffset.UtcNow + timeout);
                    NotificationMetrics.VisibilityExtended.Add(1);
                }
            }
            catch (RequestFailedException e)
            {
                LogExtendFailed(e, m.Id); // it comes back after its timeout; its files are logged once
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Messages whose visibility timeout ran out are back on the queue; their receipts are no use any more.</summary>
    private void ForgetExpired()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var message in held.Where(m => m.HiddenUntil < now).ToList())
        {
            message.Abandoned = true;
            held.Remove(message);
        }

        foreach (var (number, item) in pending.ToList())
        {
            if (item.Messages.Any(m => m.Abandoned))
            {
                pending.Remove(number);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {Url} from {Queue} is outside every source reading that queue ({Folders}): event ignored")]
    private partial void LogOutsideSources(string url, QueueConnection queue, string folders);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} moved to poison queue {PoisonQueue}: {Reason}. Message: {Excerpt}")]
    private partial void LogPoisoned(string messageId, QueueConnection queue, string poisonQueue, string reason, string excerpt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} could not be moved to poison queue {PoisonQueue}; it stays on its queue")]
    private partial void LogPoisonFailed(Exception exception, string messageId, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of {Queue} also holds events other than BlobCreated, ignored: {Events}")]
    private partial void LogForeignEvents(string messageId, QueueConnection queue, string events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification {Queue} of the sources {Folders} does not exist (yet): create it, or point the Event Grid subscription or the emulator at it")]
    private partial void LogMissingQueue(QueueConnection queue, string folders);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of {Queue} is back after its visibility timeout (received {Count} times): its files are logged once")]
    private partial void LogRedelivered(string messageId, QueueConnection queue, long count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} was received again elsewhere before it was deleted here")]
    private partial void LogDeleteRaced(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} could not be hidden longer; it may be delivered again (its files are logged once)")]
    private partial void LogExtendFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} could not be deleted; it will be delivered again (its files are logged once)")]
    private partial void LogDeleteFailed(Exception exception, string messageId);

    private sealed class ReceivedMessage(INotificationQueue queue, string id, string popReceipt, DateTimeOffset hiddenUntil)
    {
        public INotificationQueue Queue { get; } = queue;

        public string Id { get; } = id;

        public string PopReceipt { get; set; } = popReceipt;

        /// <summary>When it becomes visible again unless deleted or hidden longer.</summary>
        public DateTimeOffset HiddenUntil { get; set; } = hiddenUntil;

        /// <summary>Its timeout ran out: it is back on the queue and no longer this agent's to delete.</summary>
        public bool Abandoned { get; set; }

        /// <summary>Stream items made from this message not yet delivered.</summary>
        public int Outstanding { get; set; }
    }
}
