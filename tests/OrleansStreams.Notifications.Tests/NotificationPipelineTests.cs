using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>
/// Notification mode end to end on Azurite: files uploaded while a query runs on the cluster reach its Delta
/// table through BlobCreated events on a storage queue, pulled by the notification stream provider.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationPipelineTests(AzuriteFixture azurite)
{
    private const int RowsPerFile = 5;

    [Fact]
    public async Task Every_file_lands_once_however_often_and_in_whatever_order_its_events_come_and_backfill_finds_the_lost_onesAsync()
    {
        await using var cluster = await NotificationCluster.StartAsync(azurite);
        var zone = new LandingZone(azurite, "shuffled");
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "landed");
        var query = await spark.Sql(
                $"SELECT id, file FROM STREAM read_files('{zone.SourcePath}', format => 'json', schema => '{LandingZone.Schema}', " +
                $"cloudFiles.useNotifications => 'true', queueName => '{zone.Queue.Name}', cloudFiles.backfillInterval => '2 seconds')")!
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync("landed");
        await cluster.RegisteredAsync(checkpoint);

        // Three rounds of ten files while the query runs: every event is sent one to three times, the copies of a
        // round in random order and in either schema and encoding; the events of four files are lost on the way.
        var random = new Random(5);
        var lost = new HashSet<int> { 3, 11, 12, 27 };
        var sent = 0;
        for (var round = 0; round < 3; round++)
        {
            var copies = new List<BlobCreatedEvent>();
            for (var i = round * 10; i < (round + 1) * 10; i++)
            {
                var created = await zone.UploadAsync(i, RowsPerFile);
                if (!lost.Contains(i))
                {
                    copies.AddRange(Enumerable.Repeat(created, random.Next(1, 4)));
                }
            }

            foreach (var copy in copies.OrderBy(_ => random.Next()))
            {
                await zone.SendAsync(copy, random.Next(2) == 0 ? EventSchema.EventGrid : EventSchema.CloudEvents, base64: random.Next(2) == 0);
                sent++;
            }
        }

        await Eventually.TrueAsync(async () => (await IdsAsync(spark)).Count >= 30 * RowsPerFile, "every row in the table");
        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "the queue to be empty: every message deleted once its files were logged");
        await query.StopAsync();

        var expected = Enumerable.Range(0, 30 * RowsPerFile).ToList();
        Assert.Equal(expected, (await IdsAsync(spark)).Order());
        var table = spark.Catalog.OpenStore(await spark.Catalog.ResolveAsync("landed")).Root;
        Assert.Equal(expected, DuckDbDelta.ReadRows(table).Select(r => r!["id"]!.GetValue<int>()).Order());
        Assert.True(sent > 26, $"{sent} messages sent");
        var backfilled = cluster.Logs.Find(LogLevel.Information, "Backfill listing of").Select(l => int.Parse(l.Split(" found ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).Sum();
        Assert.True(backfilled >= lost.Count, $"the backfill found {backfilled} files, the lost ones no event announced among them: {string.Join(" | ", cluster.Logs.Find(LogLevel.Information, "Backfill"))}");
    }

    [Fact]
    public async Task Unusable_messages_go_to_the_poison_queue_counted_and_logged_and_the_stream_goes_onAsync()
    {
        using var metrics = new PoisonCounter();
        await using var cluster = await NotificationCluster.StartAsync(azurite);
        var zone = new LandingZone(azurite, "mixed");
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "mixed");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", zone.Queue.Name).Schema(LandingZone.Schema).Load(zone.SourcePath)
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync("mixed");
        await cluster.RegisteredAsync(checkpoint);

        var garbage = "this is not an event";
        var notAnEvent = "{\"order\": 17, \"status\": \"shipped\"}";
        var first = await zone.UploadAsync(0, RowsPerFile);
        var deleted = BlobEventJson.Write(first with { Id = "gone-1" }, EventSchema.EventGrid);
        deleted["eventType"] = "Microsoft.Storage.BlobDeleted";
        var outside = await zone.UploadAsync(1, RowsPerFile, folder: "elsewhere");
        foreach (var text in new[] { garbage, notAnEvent, deleted.ToJsonString() })
        {
            await zone.SendRawAsync(text);
        }

        await zone.SendAsync(outside, EventSchema.EventGrid, base64: false);
        await zone.SendAsync(first, EventSchema.EventGrid, base64: true);

        await Eventually.TrueAsync(async () => (await IdsAsync(spark, "mixed")).Count >= RowsPerFile, "the good file's rows");
        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "every message off the queue");

        // The stream goes on: a file arriving after the bad messages is ingested too.
        await zone.SendAsync(await zone.UploadAsync(2, RowsPerFile), EventSchema.CloudEvents, base64: false);
        await Eventually.TrueAsync(async () => (await IdsAsync(spark, "mixed")).Count >= 2 * RowsPerFile, "the later file's rows");
        await query.StopAsync();

        Assert.Equal([0, 1, 2, 3, 4, 10, 11, 12, 13, 14], (await IdsAsync(spark, "mixed")).Order());
        var poisoned = (await zone.Poison.ReceiveMessagesAsync(32)).Value.Select(m => m.Body.ToString()).Order().ToList();
        Assert.Equal(new[] { garbage, notAnEvent, deleted.ToJsonString() }.Order(), poisoned);
        Assert.True(metrics.Poisoned >= 3, $"{metrics.Poisoned} poisoned messages counted");
        Assert.Equal(3, cluster.Logs.Find(LogLevel.Information, $"moved to poison queue {zone.Poison.Name}").Count());
        Assert.Single(cluster.Logs.Find(LogLevel.Information, "neither JSON nor base64-encoded JSON"));
        Assert.Single(cluster.Logs.Find(LogLevel.Information, "holds no Microsoft.Storage.BlobCreated event (Microsoft.Storage.BlobDeleted gone-1)"));
        Assert.Single(cluster.Logs.Find(LogLevel.Warning, $"Blob {outside.Url} from queue {zone.Queue.Name}", "is outside every source"));
    }

    [Fact]
    public async Task A_file_deleted_between_its_event_and_its_read_is_logged_by_name_and_skippedAsync()
    {
        await using var cluster = await NotificationCluster.StartAsync(azurite);
        var zone = new LandingZone(azurite, "vanishing");
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "vanishing");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", zone.Queue.Name).Schema(LandingZone.Schema).Load(zone.SourcePath)
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.Manual).ToTableAsync("vanishing");
        await query.ProcessAllAvailableAsync(); // the first listing and the registration
        await cluster.RegisteredAsync(checkpoint);

        var doomed = await zone.UploadAsync(0, RowsPerFile);
        await zone.SendAsync(doomed, EventSchema.EventGrid, base64: true);
        await zone.SendAsync(await zone.UploadAsync(1, RowsPerFile), EventSchema.EventGrid, base64: true);
        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "both events logged and their messages deleted");
        await zone.Container.DeleteBlobAsync("in/part-0000.json");

        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal([5, 6, 7, 8, 9], (await IdsAsync(spark, "vanishing")).Order());
        var line = Assert.Single(cluster.Logs.Find(LogLevel.Warning, "it was listed but no longer exists"));
        Assert.Contains("/vanishing/in/part-0000.json", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_includeExistingFiles_the_files_there_at_start_stay_out_whatever_events_or_backfills_sayAsync()
    {
        await using var cluster = await NotificationCluster.StartAsync(azurite);
        var zone = new LandingZone(azurite, "existing");
        var old = await zone.UploadAsync(0, RowsPerFile);
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "existing");
        var query = await spark.Sql(
                $"SELECT id FROM STREAM read_files('{zone.SourcePath}', format => 'json', schema => '{LandingZone.Schema}', useNotifications => 'true', " +
                $"queueName => '{zone.Queue.Name}', includeExistingFiles => 'false', backfillInterval => '1 second')")!
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.Manual).ToTableAsync("existing");
        await query.ProcessAllAvailableAsync();
        await cluster.RegisteredAsync(checkpoint);

        await zone.SendAsync(old, EventSchema.EventGrid, base64: true); // a stale event for the old file, still on the queue
        await zone.SendAsync(await zone.UploadAsync(1, RowsPerFile), EventSchema.EventGrid, base64: true);
        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "both events taken");
        var listing = Path.Combine(checkpoint, "sources", "0", "listing");
        var firstListing = await File.ReadAllTextAsync(listing);
        await Eventually.TrueAsync(
            async () =>
            {
                await query.ProcessAllAvailableAsync();
                return await File.ReadAllTextAsync(listing) != firstListing;
            },
            "a backfill listing after the interval");
        await query.StopAsync();

        Assert.Equal([5, 6, 7, 8, 9], (await IdsAsync(spark, "existing")).Order());
    }

    private static async Task<List<int>> IdsAsync(StreamingSession spark, string table = "landed")
    {
        try
        {
            return RowJson.Render(await spark.CollectAsync(spark.Sql($"SELECT id FROM {table}")!)).Select(r => r["id"]!.GetValue<int>()).ToList();
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return []; // before the first batch created the table
        }
    }

    /// <summary>Listens to the notification meter's poison counter.</summary>
    private sealed class PoisonCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long poisoned;

        public PoisonCounter()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == NotificationMetrics.MeterName && instrument.Name.EndsWith("messages_poisoned", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref poisoned, value));
            listener.Start();
        }

        public long Poisoned => Interlocked.Read(ref poisoned);

        public void Dispose() => listener.Dispose();
    }
}
