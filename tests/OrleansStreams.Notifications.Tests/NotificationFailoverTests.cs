using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>
/// The notification stream's pulling agents in a two-silo cluster: Orleans balances them over both silos, and
/// when one silo is killed while events flow, the survivor takes its agents over; the messages the dead silo
/// had received but not acknowledged come back after their visibility timeout. No backfill runs here, so
/// every file reaching the table once shows that nothing was lost on the queue path itself.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationFailoverTests(AzuriteFixture azurite)
{
    private const int Agents = 8;
    private const int Files = 45;
    private const int RowsPerFile = 4;

    [Fact]
    public async Task Two_silos_share_the_pulling_agents_and_after_one_is_killed_the_other_carries_on_with_nothing_lostAsync()
    {
        await using var cluster = await NotificationCluster.StartAsync(azurite, silos: 2, new NotificationOptions
        {
            PullingAgents = Agents,
            PollInterval = TimeSpan.FromMilliseconds(100),
            RouteRefreshInterval = TimeSpan.FromMilliseconds(500),
            VisibilityTimeout = TimeSpan.FromSeconds(3),
            MessagesPerReceive = 1,
        });
        var zone = new LandingZone(azurite, "failover");
        await using var spark = cluster.Session();
        var checkpoint = cluster.Temp.Combine("checkpoints", "failover");
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", zone.Queue.Name).Schema(LandingZone.Schema).Load(zone.SourcePath)
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync("failover");
        await cluster.RegisteredAsync(checkpoint);
        await Eventually.TrueAsync(async () => (await AgentsPerSiloAsync(cluster)) is [> 0, > 0] counts && counts.Sum() == Agents, "the agents to be spread over both silos");

        // Files and their events keep coming, one by one, before, while and after the second silo is killed: its agents
        // hold messages they received and had not yet acknowledged when it dies.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Files; i++)
            {
                await zone.SendAsync(await zone.UploadAsync(i, RowsPerFile), EventSchema.EventGrid, base64: true);
            }
        });
        await Eventually.TrueAsync(async () => (await IdsAsync(spark)).Count >= Files / 3 * RowsPerFile, "the first third of the rows");
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[1]);
        await sending;

        await Eventually.TrueAsync(async () => (await AgentsPerSiloAsync(cluster)) is [Agents], "the survivor to run every agent");
        await Eventually.TrueAsync(async () => (await IdsAsync(spark)).Count >= Files * RowsPerFile, "every file's rows after the kill");
        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "the queue emptied by the survivor");
        await query.StopAsync();

        Assert.Equal(Enumerable.Range(0, Files * RowsPerFile), (await IdsAsync(spark)).Order());
        Assert.Empty(cluster.Logs.Find(LogLevel.Information, "Backfill"));
    }

    /// <summary>How many pulling agents each live silo runs.</summary>
    internal static async Task<int[]> AgentsPerSiloAsync(NotificationCluster cluster) =>
        [.. (await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<PersistentStreamProvider>(
            NotificationStreams.ProviderName, (int)PersistentStreamProviderCommand.GetNumberRunningAgents)).Select(c => (int)c!)];

    private static async Task<List<int>> IdsAsync(StreamingSession spark)
    {
        try
        {
            return RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id FROM failover")!)).Select(r => r["id"]!.GetValue<int>()).ToList();
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return [];
        }
    }
}
