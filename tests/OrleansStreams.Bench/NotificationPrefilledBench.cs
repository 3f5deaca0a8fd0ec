using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;
using static OrleansStreams.Bench.NotificationDiscoveryBench;

namespace OrleansStreams.Bench;

/// <summary>
/// Notification mode at the emulator's ceiling, like for like with a plain SDK loop. Azurite's queue already holds
/// one BlobCreated message per file when the query starts (a query coming back after downtime): the query first
/// started on the empty folder, so its one listing is done and remembered in the checkpoint; then the session
/// stopped, the blobs were uploaded, their messages queued, and a new session resumes the query. The queue has an
/// Azurite of its own, which serves only receives and deletes as the loop's does; the blobs are on another.
/// <see cref="QueueDrainBaseline"/> then drains the same messages on a third, as fresh. The clocks run from the first
/// receive that brings messages (the loop's clock starts at its first receive too) to the last message deleted
/// (drained: every file in the file log, the loop's own work) and to the last file's row in the table (which also
/// reads every blob and commits).
/// </summary>
internal static class NotificationPrefilledBench
{
    private const string Container = "landing";
    private const string Queue = "landing-events";
    private const int Concurrency = 16;

    /// <summary>How many files the bench command gives this part: Azurite's queue is filled twice (ours and the loop's).</summary>
    public static int Files(bool small) => small ? 500 : 4_000;

    /// <summary>Runs the part with these notification options (the provider's defaults, or a tuning to compare).</summary>
    public static async Task<JsonObject> RunAsync(string work, int files, NotificationOptions notifications)
    {
        var root = Path.Combine(work, $"notifications-prefilled-{Guid.NewGuid():N}");
        try
        {
            // The queue is on an Azurite of its own, so that its process serves what the loop's serves (receives and
            // deletes), while another serves the blobs the query reads.
            var (figures, messages) = await AzuriteFixture.RunAsync(
                queues => AzuriteFixture.RunAsync(blobs => MeasureAsync(blobs, queues, root, files, notifications), inMemoryPersistence: true),
                inMemoryPersistence: true);

            // The loop gets an Azurite of its own, as fresh as ours was: run after ours in the same one, it varied 32–124 messages/s.
            var baseline = await AzuriteFixture.RunAsync(azurite => QueueDrainBaseline.MessagesPerSecAsync(azurite.ConnectionString, Queue, messages), inMemoryPersistence: true);
            figures["sdkLoopMessagesPerSec"] = Math.Round(baseline);
            figures["drainRatioToSdkLoop"] = Math.Round(files / ResultTable.Number(figures["drainedSeconds"]) / baseline, 2);
            figures["visibleRatioToSdkLoop"] = Math.Round(files / ResultTable.Number(figures["seconds"]) / baseline, 2);
            return figures;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<(JsonObject Figures, string[] Messages)> MeasureAsync(
        AzuriteFixture azurite, AzuriteFixture queues, string root, int files, NotificationOptions notifications)
    {
        using var counters = new NotificationCounters();
        var container = new BlobContainerClient(azurite.ConnectionString, Container);
        await container.CreateIfNotExistsAsync();
        var queue = new QueueClient(queues.ConnectionString, Queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await queue.CreateIfNotExistsAsync();
        var options = new StreamingSessionOptions
        {
            Warehouse = Path.Combine(root, "warehouse"),
            Storage = new StorageOptions { ConnectionString = azurite.ConnectionString },
            Notifications = notifications,
        };
        var checkpoint = Path.Combine(root, "checkpoint");

        await using (var first = StreamingSession.Embedded(options))
        {
            var listed = await StartAsync(first, checkpoint, queues);
            await UntilAsync(() => File.Exists(Path.Combine(checkpoint, "sources", "0", "listing")), TimeSpan.FromSeconds(60), "the source's first listing");
            await listed.StopAsync();
        }

        var (messages, uploadSeconds) = await LandingBlobs.UploadAsync(container, files, Concurrency);
        var fillWatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (message, cancellationToken) =>
            await queue.SendMessageAsync(message, cancellationToken));
        var fillSeconds = fillWatch.Elapsed.TotalSeconds;

        // The resumed silo's agents drain the queue from the moment it is up (the source's route is in the registry), so
        // the clock that compares with the loop runs from the first receive that brings messages.
        using var stop = new CancellationTokenSource();
        using var self = Process.GetCurrentProcess();
        var (cpuBefore, azuriteCpuBefore, queueCpuBefore) = (self.TotalProcessorTime, azurite.ProcessorTime, queues.ProcessorTime);
        var watch = Stopwatch.StartNew();
        var started = Stopwatch.GetTimestamp();
        await using var spark = StreamingSession.Embedded(options);
        var query = await StartAsync(spark, checkpoint, queues);
        var (startToVisibleSeconds, commits) = await Task.Run(() => WatchRows(Path.Combine(options.Warehouse, "landed", "_delta_log"), files, watch, stop.Token)).WaitAsync(TimeSpan.FromMinutes(15));
        var visibleSeconds = startToVisibleSeconds - Stopwatch.GetElapsedTime(started, counters.FirstReceived!.Value).TotalSeconds;
        self.Refresh();
        var (cpuSeconds, azuriteCpuSeconds, queueCpuSeconds) = (
            (self.TotalProcessorTime - cpuBefore).TotalSeconds, (azurite.ProcessorTime - azuriteCpuBefore).TotalSeconds, (queues.ProcessorTime - queueCpuBefore).TotalSeconds);
        await UntilAsync(() => queue.GetProperties().Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(120), "every queue message deleted");
        // Drained: every message deleted, so every file is in the source's file log — what the loop does to the same queue.
        var drainedSeconds = Stopwatch.GetElapsedTime(counters.FirstReceived.Value, counters.LastDeleted!.Value).TotalSeconds;
        await query.StopAsync();

        var counts = Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM landed")!));
        if (counts.Rows != files || counts.Distinct != files)
        {
            throw new InvalidOperationException($"the table holds {counts.Rows} rows ({counts.Distinct} distinct ids) for {files} files");
        }

        return (new JsonObject
        {
            ["files"] = files,
            ["queue"] = $"Azurite's queue (an Azurite of its own; the blobs on another), holding {files} BlobCreated messages (Event Grid schema, base64) when the query resumes",
            ["pullingAgents"] = notifications.PullingAgents,
            ["maxHeldMessages"] = notifications.MaxHeldMessages,
            ["drainedFilesPerSec"] = Math.Round(files / drainedSeconds),
            ["drainedSeconds"] = Math.Round(drainedSeconds, 2),
            ["filesPerSec"] = Math.Round(files / visibleSeconds),
            ["seconds"] = Math.Round(visibleSeconds, 2),
            ["sessionStartToVisibleSeconds"] = Math.Round(startToVisibleSeconds, 2),
            ["queueFillMessagesPerSec"] = Math.Round(files / fillSeconds),
            ["uploadFilesPerSec"] = Math.Round(files / uploadSeconds),
            ["queueMessagesSent"] = files,
            ["queueMessagesReceived"] = counters.Received,
            ["queueMessagesDeleted"] = counters.Deleted,
            ["filesRouted"] = counters.Routed,
            ["tableCommits"] = commits,
            ["notificationStages"] = counters.Stages(files),
            ["cpuSecondsSilo"] = Math.Round(cpuSeconds, 1),
            ["cpuSecondsBlobAzurite"] = Math.Round(azuriteCpuSeconds, 1),
            ["cpuSecondsQueueAzurite"] = Math.Round(queueCpuSeconds, 1),
            ["coresBusy"] = Math.Round((cpuSeconds + azuriteCpuSeconds + queueCpuSeconds) / startToVisibleSeconds, 2),
        }, messages);
    }

    private static Task<StreamingQuery> StartAsync(StreamingSession spark, string checkpoint, AzuriteFixture queues) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", Queue).Option("cloudFiles.connectionString", queues.ConnectionString).Schema("id LONG").Load($"wasbs://{Container}@{AzuriteFixture.AccountName}.blob.core.windows.net/in")
            .WriteStream().Option("checkpointLocation", checkpoint).ToTableAsync("landed");
}
