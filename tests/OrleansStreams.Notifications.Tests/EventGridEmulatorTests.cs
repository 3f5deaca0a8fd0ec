using System.Text;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using OrleansStreams.Client;
using OrleansStreams.Emulators;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>The Event Grid emulator on Azurite: the events it sends, once per blob version, and a whole pipeline fed by it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventGridEmulatorTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Blobs_written_by_any_client_become_the_BlobCreated_events_Azure_sends_once_per_versionAsync()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "emulated");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("old.json").UploadAsync(BinaryData.FromString("{}\n"));
        var options = new EventGridEmulatorOptions { ConnectionString = azurite.ConnectionString, QueueName = "emulated-events", Containers = ["emulated"] };
        var emulator = await EventGridEmulator.StartAsync(options, CancellationToken.None);

        var sdk = container.GetBlobClient("in/a b.json");
        await sdk.UploadAsync(BinaryData.FromString("{\"id\":1}\n"));
        var store = new ObjectStoreFactory(new StorageOptions { ConnectionString = azurite.ConnectionString }).Create($"wasbs://emulated@{AzuriteFixture.AccountName}.blob.core.windows.net/in");
        await store.WriteAsync("2024/b.json", Encoding.UTF8.GetBytes("{\"id\":2}\n{\"id\":3}\n"));

        Assert.Equal(2, await emulator.PollAsync(CancellationToken.None)); // the blob there before the emulator started is not announced
        Assert.Equal(0, await emulator.PollAsync(CancellationToken.None));

        var queue = new QueueClient(azurite.ConnectionString, "emulated-events");
        var texts = (await queue.ReceiveMessagesAsync(32)).Value.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString()))).ToList();
        Assert.All(texts, t => Assert.Equal(
            ["topic", "subject", "eventType", "eventTime", "id", "data", "dataVersion", "metadataVersion"],
            System.Text.Json.Nodes.JsonNode.Parse(t)!.AsObject().Select(p => p.Key)));
        var events = texts.Select(t => EventGridEvent.Parse(BinaryData.FromString(t))).OrderBy(e => e.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal(["/blobServices/default/containers/emulated/blobs/in/2024/b.json", "/blobServices/default/containers/emulated/blobs/in/a b.json"], events.Select(e => e.Subject));
        var properties = (await sdk.GetPropertiesAsync()).Value;
        var created = events[1];
        Assert.Equal("Microsoft.Storage.BlobCreated", created.EventType);
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/azurite/providers/Microsoft.Storage/storageAccounts/devstoreaccount1", created.Topic);
        Assert.True(created.TryGetSystemEventData(out var data));
        var blob = Assert.IsType<StorageBlobCreatedEventData>(data);
        Assert.Equal(sdk.Uri.AbsoluteUri, blob.Url);
        Assert.Equal(properties.ContentLength, blob.ContentLength);
        Assert.Equal(properties.ETag.ToString(), blob.ETag);
        Assert.Equal(("PutBlob", "BlockBlob"), (blob.Api, blob.BlobType));
        Assert.Equal(properties.LastModified, created.EventTime);

        await sdk.UploadAsync(BinaryData.FromString("{\"id\":4}\n"), overwrite: true); // a new version is a new event, as on Azure
        Assert.Equal(1, await emulator.PollAsync(CancellationToken.None));

        var restarted = await EventGridEmulator.StartAsync(options, CancellationToken.None);
        Assert.Equal(0, await restarted.PollAsync(CancellationToken.None)); // it remembers what it announced

        var cloud = await EventGridEmulator.StartAsync(
            options with { QueueName = "emulated-cloud", Schema = EventSchema.CloudEvents, Base64 = false, PublishExisting = true }, CancellationToken.None);
        Assert.Equal(3, await cloud.PollAsync(CancellationToken.None));
        var cloudEvents = (await new QueueClient(azurite.ConnectionString, "emulated-cloud").ReceiveMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!).ToList();
        Assert.All(cloudEvents, e => Assert.Equal("Microsoft.Storage.BlobCreated", e.Type));
        Assert.Contains(cloudEvents, e => e.Subject == "/blobServices/default/containers/emulated/blobs/old.json");
    }

    [Fact]
    public async Task A_notification_pipeline_runs_on_a_laptop_with_Azurite_and_the_emulatorAsync()
    {
        await using var cluster = await NotificationCluster.StartAsync(azurite);
        var zone = new LandingZone(azurite, "laptop");
        using var stop = new CancellationTokenSource();
        var emulator = EventGridEmulator.RunAsync(
            new EventGridEmulatorOptions { ConnectionString = azurite.ConnectionString, QueueName = zone.Queue.Name, Containers = [zone.Name], PollInterval = TimeSpan.FromMilliseconds(100) },
            stop.Token);
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "laptop");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", zone.Queue.Name).Schema(LandingZone.Schema).Load(zone.SourcePath)
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync("laptop");
        await cluster.RegisteredAsync(checkpoint);

        for (var i = 0; i < 10; i++)
        {
            await zone.UploadAsync(i, 3);
        }

        await Eventually.TrueAsync(async () => await CountAsync(spark) >= 30, "the uploaded files' rows");
        await query.StopAsync();
        await stop.CancelAsync();
        await emulator;

        Assert.Equal(Enumerable.Range(0, 30), RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id FROM laptop ORDER BY id")!)).Select(r => r["id"]!.GetValue<int>()));
        Assert.Empty(cluster.Logs.Find(LogLevel.Information, "Backfill")); // events alone brought every file: there is no backfill here
    }

    private static async Task<long> CountAsync(StreamingSession spark)
    {
        try
        {
            return long.Parse(RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n FROM laptop")!))[0]["n"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return 0;
        }
    }
}
