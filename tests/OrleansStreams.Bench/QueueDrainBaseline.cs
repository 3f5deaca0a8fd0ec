using System.Diagnostics;
using Azure.Storage.Queues;

namespace OrleansStreams.Bench;

/// <summary>
/// The emulator's own ceiling, for the notification part: a plain Azure SDK loop draining a queue holding the same
/// messages (four loops at a time, each receiving 32 and deleting each one), with none of our path in it.
/// </summary>
internal static class QueueDrainBaseline
{
    private const int Loops = 4;
    private const int Concurrency = 16;

    /// <summary>Fills a fresh queue with <paramref name="messages"/>, then drains it; messages deleted per second.</summary>
    public static async Task<double> MessagesPerSecAsync(string connectionString, string queueName, IReadOnlyList<string> messages)
    {
        var queue = new QueueClient(connectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await queue.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (message, cancellationToken) => await queue.SendMessageAsync(message, cancellationToken));

        var left = messages.Count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Loops).Select(async _ =>
        {
            while (Volatile.Read(ref left) > 0)
            {
                foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value)
                {
                    try
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    }
                    catch (Azure.RequestFailedException e) when (e.Status == 404)
                    {
                        // A retried delete whose first attempt had landed: gone all the same.
                    }

                    Interlocked.Decrement(ref left);
                }
            }
        }));
        return messages.Count / watch.Elapsed.TotalSeconds;
    }
}
