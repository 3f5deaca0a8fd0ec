using System.Collections.Concurrent;
using System.Text;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>
/// Draining thousands of notifications from the in-memory queue (the blobs on Azurite): every file lands
/// once under duplicated, shuffled and timed-out messages and a silo killed mid-way; the agents hold no more
/// than their cap, so nothing outlives its visibility timeout inside a silo and messages are received about
/// once each.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationBackPressureTests(AzuriteFixture azurite)
{
    private const int RowsPerFile = 2;

    [Fact]
    public async Task Thousands_of_duplicated_shuffled_and_timed_out_messages_land_every_file_once_receiving_each_message_about_onceAsync()
    {
        const int Files = 2000, Agents = 4, Held = 64, Rogue = 50;
        using var stages = new NotificationStages();
        var memory = new InMemoryNotificationQueues();
        await using var cluster = await NotificationCluster.StartAsync(azurite, notifications: Options(memory, Agents, Held, TimeSpan.FromSeconds(5)));
        var zone = new LandingZone(azurite, "drain");
        var queue = memory.Queue(zone.Queue.Name);
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "drain");
        var query = await StartAsync(spark, zone, checkpoint, "drain");
        await cluster.RegisteredAsync(checkpoint);

        // Every event once, a tenth of them twice, all shuffled; then a consumer that never deletes takes some, so they come back past their visibility timeout.
        var random = new Random(19);
        var events = await UploadAsync(zone, Files);
        var messages = events.Concat(events.Where(_ => random.Next(10) == 0)).OrderBy(_ => random.Next()).Select(Message).ToList();
        foreach (var message in messages)
        {
            await queue.SendAsync(message, CancellationToken.None);
        }

        Assert.Equal(Rogue, (await queue.ReceiveAsync(Rogue, TimeSpan.FromSeconds(1), CancellationToken.None))!.Count);
        var peakHeld = 0;
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeld = Math.Max(peakHeld, queue.Hidden);
                await Task.Delay(10);
            }
        });

        await Eventually.TrueAsync(() => queue.Count == 0, "every message deleted", seconds: 240);
        await stop.CancelAsync();
        await sampling;
        await Eventually.TrueAsync(async () => await RowsAsync(spark, "drain") >= Files * RowsPerFile, "every row in the table");
        await query.StopAsync();

        await AssertEveryRowOnceAsync(spark, "drain", Files);
        Assert.True(queue.Received - Rogue <= 1.05 * messages.Count, $"the silo received {queue.Received - Rogue} messages for {messages.Count} sent");
        Assert.True(peakHeld <= (Agents * Held) + Rogue, $"{peakHeld} messages were held at once; the agents' cap is {Agents} × {Held}");
        Assert.Equal(["delete", "deliver", "log", "receive", "route"], stages.Seen); // where the bench says the time goes
    }

    [Fact]
    public async Task A_silo_killed_while_two_drain_the_queue_loses_and_duplicates_no_fileAsync()
    {
        const int Files = 1000, Agents = 8;
        var memory = new InMemoryNotificationQueues();
        await using var cluster = await NotificationCluster.StartAsync(azurite, silos: 2, Options(memory, Agents, held: 32, TimeSpan.FromSeconds(3)));
        var zone = new LandingZone(azurite, "killed");
        var queue = memory.Queue(zone.Queue.Name);
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "killed");
        var query = await StartAsync(spark, zone, checkpoint, "killed");
        await cluster.RegisteredAsync(checkpoint);
        await Eventually.TrueAsync(async () => (await NotificationFailoverTests.AgentsPerSiloAsync(cluster)) is [> 0, > 0] counts && counts.Sum() == Agents, "the agents to be spread over both silos");

        foreach (var created in await UploadAsync(zone, Files))
        {
            await queue.SendAsync(Message(created), CancellationToken.None);
        }

        await Eventually.TrueAsync(() => queue.Count < Files * 2 / 3, "a third of the messages drained", seconds: 120);
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[1]);

        await Eventually.TrueAsync(() => queue.Count == 0, "every message deleted by the survivor", seconds: 240);
        await Eventually.TrueAsync(async () => await RowsAsync(spark, "killed") >= Files * RowsPerFile, "every row in the table");
        await query.StopAsync();

        await AssertEveryRowOnceAsync(spark, "killed", Files);
    }

    private static NotificationOptions Options(InMemoryNotificationQueues memory, int agents, int held, TimeSpan visibility) => new()
    {
        QueueService = memory,
        PullingAgents = agents,
        MaxHeldMessages = held,
        VisibilityTimeout = visibility,
        PollInterval = TimeSpan.FromMilliseconds(100),
        RouteRefreshInterval = TimeSpan.FromMilliseconds(500),
    };

    private static Task<StreamingQuery> StartAsync(StreamingSession spark, LandingZone zone, string checkpoint, string table) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", zone.Queue.Name).Schema(LandingZone.Schema).Load(zone.SourcePath)
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync(table);

    private static async Task<List<BlobCreatedEvent>> UploadAsync(LandingZone zone, int files)
    {
        var events = new ConcurrentBag<BlobCreatedEvent>();
        await Parallel.ForEachAsync(Enumerable.Range(0, files), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => events.Add(await zone.UploadAsync(i, RowsPerFile)));
        return [.. events.OrderBy(e => e.Url, StringComparer.Ordinal)];
    }

    private static string Message(BlobCreatedEvent created) => Convert.ToBase64String(Encoding.UTF8.GetBytes(BlobEventJson.Write(created, EventSchema.EventGrid).ToJsonString()));

    private static async Task<long> RowsAsync(StreamingSession spark, string table)
    {
        try
        {
            var count = RowJson.Render(await spark.CollectAsync(spark.Sql($"SELECT count(*) AS n FROM {table}")!))[0]["n"]!;
            return long.Parse(count.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return 0;
        }
    }

    /// <summary>DuckDB reads the Delta table: each file's rows once, none missing.</summary>
    private static async Task AssertEveryRowOnceAsync(StreamingSession spark, string table, int files)
    {
        var ids = DuckDbDelta.ReadRows(spark.Catalog.OpenStore(await spark.Catalog.ResolveAsync(table)).Root).Select(r => r!["id"]!.GetValue<int>()).Order().ToList();
        Assert.Equal(Enumerable.Range(0, files * RowsPerFile), ids);
    }
}
