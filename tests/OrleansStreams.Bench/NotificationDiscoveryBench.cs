using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using OrleansStreams.Client;
using OrleansStreams.Emulators;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 4, notification mode: small files land in a container on Azurite while a default-trigger cloudFiles
/// query with <c>cloudFiles.useNotifications</c> runs on the embedded silo, whose notification stream provider
/// pulls their BlobCreated events from a storage queue. The files are uploaded first (after the query's first
/// listing, so none is found by listing); then the events are produced, either by the project's Event Grid
/// emulator (it lists the container and sends one message per new blob) or by sending the emulator's JSON
/// straight to the queue. The clock runs from the first event to the last file's row in the table. Then a plain SDK
/// loop drains a fresh queue of the same messages (<see cref="QueueDrainBaseline"/>): the emulator's own ceiling.
/// </summary>
internal static class NotificationDiscoveryBench
{
    public enum Producer
    {
        Emulator,
        Enqueue,
    }

    private const string Container = "landing";
    private const string Queue = "landing-events";
    private const int Concurrency = 16;

    /// <summary>
    /// How many files the bench command gives this part. Each file costs Azurite four requests (upload, event,
    /// delete, read) and its queue slows down as it fills: on the shared 2-core machine 10 K files took six minutes
    /// (500 took seven seconds), so 100 K would not fit the full run's 20 minutes.
    /// </summary>
    public static int Files(bool small) => small ? 500 : 10_000;

    public static async Task<JsonObject> RunAsync(string work, int files, Producer producer)
    {
        var root = Path.Combine(work, $"notifications-{Guid.NewGuid():N}");
        try
        {
            return await AzuriteFixture.RunAsync(azurite => MeasureAsync(azurite, root, files, producer), inMemoryPersistence: Environment.GetEnvironmentVariable("BENCH_AZURITE_DISK") is null);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<JsonObject> MeasureAsync(AzuriteFixture azurite, string root, int files, Producer producer)
    {
        using var counters = new NotificationCounters();
        var container = new BlobContainerClient(azurite.ConnectionString, Container);
        await container.CreateIfNotExistsAsync();
        var queue = new QueueClient(azurite.ConnectionString, Queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await queue.CreateIfNotExistsAsync();
        var emulatorOptions = new EventGridEmulatorOptions { ConnectionString = azurite.ConnectionString, QueueName = Queue, Containers = [Container] };
        var emulator = producer == Producer.Emulator ? await EventGridEmulator.StartAsync(emulatorOptions, CancellationToken.None) : null;

        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse"), Storage = storage, Notifications = new NotificationOptions() });
        var checkpoint = Path.Combine(root, "checkpoint");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", Queue).Schema("id LONG").Load($"wasbs://{Container}@{AzuriteFixture.AccountName}.blob.core.windows.net/in")
            .WriteStream().Option("checkpointLocation", checkpoint).ToTableAsync("landed");

        // The source registers for its queue's events, then lists the (empty) folder once and marks that in the checkpoint.
        await UntilAsync(() => File.Exists(Path.Combine(checkpoint, "sources", "0", "listing")), TimeSpan.FromSeconds(60), "the source's first listing");

        var (messages, uploadSeconds) = await LandingBlobs.UploadAsync(container, files, Concurrency);

        var log = Path.Combine(root, "warehouse", "landed", "_delta_log");
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var watcher = Task.Run(() => WatchRows(log, files, watch, stop.Token));
        double produceSeconds;
        if (emulator is not null)
        {
            // One poll lists the container and sends the events of every blob it has not announced yet.
            var sent = 0;
            while (sent < files)
            {
                sent += await emulator.PollAsync(CancellationToken.None);
            }

            produceSeconds = watch.Elapsed.TotalSeconds;
        }
        else
        {
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (message, cancellationToken) =>
                await queue.SendMessageAsync(message, cancellationToken));
            produceSeconds = watch.Elapsed.TotalSeconds;
        }

        var (visibleSeconds, commits) = await watcher.WaitAsync(TimeSpan.FromMinutes(15));
        await UntilAsync(() => queue.GetProperties().Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(60), "every queue message deleted");
        var drainedSeconds = watch.Elapsed.TotalSeconds;
        await query.StopAsync();
        var baseline = await QueueDrainBaseline.MessagesPerSecAsync(azurite.ConnectionString, Queue + "-baseline", messages);

        // Exactly once: every file's row, none twice.
        var counts = Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM landed")!));
        if (counts.Rows != files || counts.Distinct != files)
        {
            throw new InvalidOperationException($"the table holds {counts.Rows} rows ({counts.Distinct} distinct ids) for {files} files");
        }

        return new JsonObject
        {
            ["files"] = files,
            ["events"] = producer == Producer.Emulator
                ? "the project's Event Grid emulator (EventGridEmulator.PollAsync: lists the container, one BlobCreated message per new blob, Event Grid schema, base64)"
                : $"BlobCreated messages as the emulator writes them (Event Grid schema, base64), sent to the queue directly, {Concurrency} at a time",
            ["filesPerSec"] = Math.Round(files / visibleSeconds),
            ["seconds"] = Math.Round(visibleSeconds, 2),
            ["eventsSentSeconds"] = Math.Round(produceSeconds, 2),
            ["queueDrainedSeconds"] = Math.Round(drainedSeconds, 2),
            ["uploadFilesPerSec"] = Math.Round(files / uploadSeconds),
            ["sdkLoopMessagesPerSec"] = Math.Round(baseline),
            ["ratioToSdkLoop"] = Math.Round(files / visibleSeconds / baseline, 2),
            ["queueMessagesSent"] = files,
            ["queueMessagesReceived"] = counters.Received,
            ["queueMessagesDeleted"] = counters.Deleted,
            ["filesRouted"] = counters.Routed,
            ["tableCommits"] = commits,
            ["checkpointBytes"] = FolderBytes(checkpoint),
            ["fileLogBytes"] = FolderBytes(Path.Combine(checkpoint, "sources")),
        };
    }

    /// <summary>Follows the table's commits; returns when their adds hold <paramref name="rows"/> rows, and how many commits that took.</summary>
    internal static (double Seconds, int Commits) WatchRows(string log, long rows, Stopwatch watch, CancellationToken stop)
    {
        long version = 0, seen = 0;
        var commits = 0;
        while (!stop.IsCancellationRequested)
        {
            var path = Path.Combine(log, $"{version:D20}.json");
            if (!File.Exists(path))
            {
                Thread.Sleep(5);
                continue;
            }

            version++;
            var added = File.ReadLines(path).Select(line => JsonNode.Parse(line)!["add"]?["stats"]?.GetValue<string>()).OfType<string>()
                .Sum(stats => JsonNode.Parse(stats)!["numRecords"]!.GetValue<long>());
            if (added > 0)
            {
                commits++;
                seen += added;
            }

            if (seen >= rows)
            {
                return (watch.Elapsed.TotalSeconds, commits);
            }
        }

        throw new OperationCanceledException();
    }

    internal static (long Rows, long Distinct) Render(IReadOnlyList<Apache.Arrow.RecordBatch> batches)
    {
        var row = RowJson.Render(batches)[0];
        return (long.Parse(row["n"]!.ToString(), CultureInfo.InvariantCulture), long.Parse(row["ids"]!.ToString(), CultureInfo.InvariantCulture));
    }

    internal static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}");
            }

            await Task.Delay(20);
        }
    }

    internal static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    /// <summary>The notification meter's counters and stage times, summed while the part runs.</summary>
    internal sealed class NotificationCounters : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<string, StageTotal> stages = new(StringComparer.Ordinal);
        private long received;
        private long deleted;
        private long routed;
        private long firstReceived; // a Stopwatch timestamp, 0 until a receive brings messages
        private long lastDeleted; // a Stopwatch timestamp

        public NotificationCounters()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == NotificationMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name.EndsWith("messages_received", StringComparison.Ordinal))
                {
                    Interlocked.CompareExchange(ref firstReceived, Stopwatch.GetTimestamp(), 0);
                    Interlocked.Add(ref received, value);
                }
                else if (instrument.Name.EndsWith("messages_deleted", StringComparison.Ordinal))
                {
                    Interlocked.Exchange(ref lastDeleted, Stopwatch.GetTimestamp());
                    Interlocked.Add(ref deleted, value);
                }
                else if (instrument.Name.EndsWith("files_routed", StringComparison.Ordinal))
                {
                    Interlocked.Add(ref routed, value);
                }
            });
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                if (instrument == NotificationMetrics.StageDuration && tags.Length > 0 && tags[0].Value is string stage)
                {
                    stages.GetOrAdd(stage, _ => new StageTotal()).Add(value);
                }
            });
            listener.Start();
        }

        public long Received => Interlocked.Read(ref received);

        public long Deleted => Interlocked.Read(ref deleted);

        public long Routed => Interlocked.Read(ref routed);

        /// <summary>When the first receive brought messages (a <see cref="Stopwatch.GetTimestamp"/>), or null.</summary>
        public long? FirstReceived => Interlocked.Read(ref firstReceived) is var t && t != 0 ? t : null;

        /// <summary>When the latest delete succeeded (a <see cref="Stopwatch.GetTimestamp"/>), or null.</summary>
        public long? LastDeleted => Interlocked.Read(ref lastDeleted) is var t && t != 0 ? t : null;

        /// <summary>
        /// Per stage of the notification path: its calls, their summed time, and that sum per file. The stages of
        /// 8 agents per silo overlap, so the sums add up to more than the wall time; they say where it goes.
        /// </summary>
        public JsonObject Stages(int files)
        {
            var result = new JsonObject();
            foreach (var (stage, total) in stages.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var (calls, ms) = total.Read();
                result[stage] = new JsonObject
                {
                    ["calls"] = calls,
                    ["totalMs"] = Math.Round(ms),
                    ["meanMs"] = Math.Round(ms / Math.Max(calls, 1), 2),
                    ["usPerFile"] = Math.Round(ms * 1000 / files, 1),
                };
            }

            return result;
        }

        public void Dispose() => listener.Dispose();

        private sealed class StageTotal
        {
            private readonly Lock sync = new();
            private long calls;
            private double ms;

            public void Add(double value)
            {
                lock (sync)
                {
                    calls++;
                    ms += value;
                }
            }

            public (long Calls, double Ms) Read()
            {
                lock (sync)
                {
                    return (calls, ms);
                }
            }
        }
    }
}
