using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Orleans.TestingHost;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 4, notification mode apart from the emulator's queue: the same path (event parsing, routing to the
/// source's discovery grain, the file log, the scan workers reading the blobs, the commit, the deletes) fed from
/// an <see cref="InMemoryNotificationQueues"/> queue holding one BlobCreated message per file, on an in-process
/// cluster of 1–3 silos sharing that queue with the provider's defaults (8 pulling agents, 256 held messages each,
/// 60 s visibility timeout). The blobs are on Azurite's Blob service, uploaded after the query's first listing; the
/// clock runs from the moment the queue is filled to the last file's row in the table, and apart to the moment the
/// last message is deleted (every file in the file log: the notification path's own end).
/// </summary>
internal static class NotificationCeilingBench
{
    private const string Container = "landing";
    private const string Queue = "landing-events";
    private const int Concurrency = 32;

    /// <summary>How many files the bench command gives this part (uploading them to Azurite is most of its time).</summary>
    public static int Files(bool small) => small ? 2_000 : 10_000;

    public static async Task<JsonObject> RunAsync(string work, int files, int silos)
    {
        var root = Path.Combine(work, $"notifications-memory-{Guid.NewGuid():N}");
        try
        {
            return await AzuriteFixture.RunAsync(azurite => MeasureAsync(azurite, root, files, silos), inMemoryPersistence: true);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<JsonObject> MeasureAsync(AzuriteFixture azurite, string root, int files, int silos)
    {
        using var counters = new NotificationDiscoveryBench.NotificationCounters();
        var container = new BlobContainerClient(azurite.ConnectionString, Container);
        await container.CreateIfNotExistsAsync();
        var memory = new InMemoryNotificationQueues();
        var queue = memory.Queue(Queue);
        await queue.CreateIfNotExistsAsync(CancellationToken.None);

        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var notifications = new NotificationOptions { QueueService = memory };
        await using var cluster = await StartClusterAsync(Path.Combine(root, "state"), storage, notifications, silos);
        await using var spark = StreamingSession.Connect(cluster.Client, new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse"), Storage = storage });
        var checkpoint = Path.Combine(root, "checkpoint");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", Queue).Schema("id LONG").Load($"wasbs://{Container}@{AzuriteFixture.AccountName}.blob.core.windows.net/in")
            .WriteStream().Option("checkpointLocation", checkpoint).ToTableAsync("landed");
        await NotificationDiscoveryBench.UntilAsync(() => File.Exists(Path.Combine(checkpoint, "sources", "0", "listing")), TimeSpan.FromSeconds(60), "the source's first listing");

        var (messages, uploadSeconds) = await LandingBlobs.UploadAsync(container, files, Concurrency);

        var log = Path.Combine(root, "warehouse", "landed", "_delta_log");
        using var stop = new CancellationTokenSource();
        using var self = Process.GetCurrentProcess();
        var (cpuBefore, azuriteCpuBefore) = (self.TotalProcessorTime, azurite.ProcessorTime);
        var watch = Stopwatch.StartNew();
        foreach (var message in messages)
        {
            await queue.SendAsync(message, CancellationToken.None);
        }

        var watcher = Task.Run(() => NotificationDiscoveryBench.WatchRows(log, files, watch, stop.Token));
        // Every message deleted is every file in the source's file log: the notification path's own end.
        var peakHeld = 0;
        var loggedSeconds = double.NaN;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeld = Math.Max(peakHeld, queue.Hidden);
                if (double.IsNaN(loggedSeconds) && queue.Count == 0)
                {
                    loggedSeconds = watch.Elapsed.TotalSeconds;
                }

                await Task.Delay(10);
            }
        });
        var (visibleSeconds, commits) = await watcher.WaitAsync(TimeSpan.FromMinutes(15));
        self.Refresh();
        var (cpuSeconds, azuriteCpuSeconds) = ((self.TotalProcessorTime - cpuBefore).TotalSeconds, (azurite.ProcessorTime - azuriteCpuBefore).TotalSeconds);
        await NotificationDiscoveryBench.UntilAsync(() => queue.Count == 0 && !double.IsNaN(loggedSeconds), TimeSpan.FromSeconds(120), "every queue message deleted");
        var drainedSeconds = watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        var stages = StageMs(query.RecentProgress);
        await query.StopAsync();

        var counts = NotificationDiscoveryBench.Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM landed")!));
        if (counts.Rows != files || counts.Distinct != files)
        {
            throw new InvalidOperationException($"the table holds {counts.Rows} rows ({counts.Distinct} distinct ids) for {files} files");
        }

        return new JsonObject
        {
            ["files"] = files,
            ["silos"] = silos,
            ["queue"] = $"in memory (InMemoryNotificationQueues), pre-filled with {files} BlobCreated messages (Event Grid schema, base64); blobs on Azurite",
            ["filesPerSec"] = Math.Round(files / visibleSeconds),
            ["seconds"] = Math.Round(visibleSeconds, 2),
            ["filesLoggedPerSec"] = Math.Round(files / loggedSeconds),
            ["allLoggedSeconds"] = Math.Round(loggedSeconds, 2),
            ["queueDrainedSeconds"] = Math.Round(drainedSeconds, 2),
            ["uploadFilesPerSec"] = Math.Round(files / uploadSeconds),
            ["queueMessagesSent"] = queue.Sent,
            ["queueMessagesReceived"] = queue.Received,
            ["queueMessagesDeleted"] = queue.Deleted,
            ["peakMessagesHeld"] = peakHeld,
            ["filesRouted"] = counters.Routed,
            ["tableCommits"] = commits,
            ["queryStageMs"] = stages,
            ["notificationStages"] = counters.Stages(files),
            ["cpuSecondsSilos"] = Math.Round(cpuSeconds, 1),
            ["cpuSecondsAzurite"] = Math.Round(azuriteCpuSeconds, 1),
            ["coresBusy"] = Math.Round((cpuSeconds + azuriteCpuSeconds) / visibleSeconds, 2),
            ["cores"] = Environment.ProcessorCount,
            ["fileLogBytes"] = NotificationDiscoveryBench.FolderBytes(Path.Combine(checkpoint, "sources")),
        };
    }

    /// <summary>The query's own time per stage, summed over the batches its recent progress still holds (the rest of the wall time is the queue, routing and file log).</summary>
    private static JsonObject StageMs(IReadOnlyList<StreamingQueryProgress> progress)
    {
        var stages = new JsonObject { ["batches"] = progress.Count };
        foreach (var (stage, ms) in progress.SelectMany(p => p.DurationMs).GroupBy(d => d.Key, d => d.Value).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum())))
        {
            stages[stage] = ms;
        }

        return stages;
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(string state, StorageOptions storage, NotificationOptions notifications, int silos)
    {
        var options = new OrleansStreamsSiloOptions { StateRoot = state, Storage = storage, Notifications = notifications };
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ConfigureFileLogging = false; // the test host's default writes logs/ under the working folder
        builder.ConfigureSilo((_, silo) => silo.UseInMemoryReminderService().AddOrleansStreams(options));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
