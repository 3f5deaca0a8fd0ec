namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// A storage queue kept in memory with the service's semantics: a received message is hidden for its
/// visibility timeout and comes back (dequeue count + 1, new pop receipt) unless deleted in time; delete and
/// update need the latest pop receipt. For benches and tests, where Azurite's queue would be the bottleneck.
/// </summary>
public sealed class InMemoryNotificationQueue(TimeProvider? time = null) : INotificationQueue
{
    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly Lock sync = new();
    private readonly Queue<Message> visible = new();
    private readonly PriorityQueue<(Message Message, string Receipt), DateTimeOffset> hidden = new();
    private readonly Dictionary<string, Message> live = new(StringComparer.Ordinal);
    private long nextId;
    private int hiddenCount;
    private long received;
    private long deleted;
    private long sent;

    public bool Exists { get; private set; }

    /// <summary>Messages sent to the queue and not yet deleted, visible or not.</summary>
    public int Count
    {
        get
        {
            lock (sync)
            {
                return live.Count;
            }
        }
    }

    /// <summary>Messages received and neither deleted nor visible again: what consumers hold.</summary>
    public int Hidden
    {
        get
        {
            lock (sync)
            {
                return hiddenCount;
            }
        }
    }

    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Messages handed out by receives, redeliveries included.</summary>
    public long Received => Interlocked.Read(ref received);

    public long Deleted => Interlocked.Read(ref deleted);

    public Task<IReadOnlyList<ReceivedQueueMessage>?> ReceiveAsync(int count, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            if (!Exists)
            {
                return Task.FromResult<IReadOnlyList<ReceivedQueueMessage>?>(null);
            }

            Reveal(now);
            var taken = new List<ReceivedQueueMessage>(Math.Min(count, visible.Count));
            while (taken.Count < count && visible.TryDequeue(out var message))
            {
                if (message.Deleted)
                {
                    continue;
                }

                message.DequeueCount++;
                message.Visible = false;
                hiddenCount++;
                message.PopReceipt = Guid.NewGuid().ToString("N");
                hidden.Enqueue((message, message.PopReceipt), now + visibilityTimeout);
                taken.Add(new ReceivedQueueMessage(message.Id, message.PopReceipt, message.DequeueCount, message.Body));
            }

            Interlocked.Add(ref received, taken.Count);
            return Task.FromResult<IReadOnlyList<ReceivedQueueMessage>?>(taken);
        }
    }

    public Task<bool> DeleteAsync(string id, string popReceipt, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            if (!live.TryGetValue(id, out var message) || message.PopReceipt != popReceipt)
            {
                return Task.FromResult(false);
            }

            message.Deleted = true;
            hiddenCount -= message.Visible ? 0 : 1;
            live.Remove(id);
            Interlocked.Increment(ref deleted);
            return Task.FromResult(true);
        }
    }

    public Task<string?> UpdateVisibilityAsync(string id, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            // A message whose timeout ran out is visible again even before a receive notices: its receipt is stale.
            Reveal(now);
            if (!live.TryGetValue(id, out var message) || message.PopReceipt != popReceipt || message.Visible)
            {
                return Task.FromResult<string?>(null);
            }

            message.PopReceipt = Guid.NewGuid().ToString("N");
            hidden.Enqueue((message, message.PopReceipt), now + visibilityTimeout);
            return Task.FromResult<string?>(message.PopReceipt);
        }
    }

    public Task SendAsync(string body, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            if (!Exists)
            {
                throw new InvalidOperationException("The queue does not exist");
            }

            var message = new Message((nextId++).ToString(System.Globalization.CultureInfo.InvariantCulture), body);
            live[message.Id] = message;
            visible.Enqueue(message);
            Interlocked.Increment(ref sent);
            return Task.CompletedTask;
        }
    }

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        lock (sync)
        {
            Exists = true;
        }

        return Task.CompletedTask;
    }

    /// <summary>Puts back at the queue's end the hidden messages whose timeout ran out (entries of an older receipt are skipped).</summary>
    private void Reveal(DateTimeOffset now)
    {
        while (hidden.TryPeek(out var entry, out var due) && due <= now)
        {
            hidden.Dequeue();
            if (!entry.Message.Deleted && entry.Message.PopReceipt == entry.Receipt)
            {
                entry.Message.Visible = true;
                hiddenCount--;
                visible.Enqueue(entry.Message);
            }
        }
    }

    private sealed class Message(string id, string body)
    {
        public string Id { get; } = id;

        public string Body { get; } = body;

        public long DequeueCount { get; set; }

        public string PopReceipt { get; set; } = string.Empty;

        public bool Visible { get; set; } = true;

        public bool Deleted { get; set; }
    }
}
