using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// The silo host configured by settings alone runs a <c>cloudFiles.useNotifications</c> query and takes Event Grid
/// pushes on its webhook: only those carrying the configured secret reach the query.
/// </summary>
public sealed class SiloHostWebhookTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Secret = "push-s3cret";
    private const int Rows = 5;

    private readonly TempDirectory temp = new("silo-webhook");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        http.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Webhook_pushes_with_the_configured_secret_reach_a_notification_query_and_others_get_401Async()
    {
        var zone = new LandingContainer(azurite, "webhook-landing");
        var queue = "webhook-landing-events";
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        await using var app = SiloHost.Build(SiloHost.CreateBuilder([
            "--environment", "Development",
            "--urls", url,
            $"--OrleansStreams:Cluster:ClusterId=webhook-{Guid.NewGuid():N}",
            $"--OrleansStreams:Cluster:SiloPort={FreePorts.Next()}",
            $"--OrleansStreams:Cluster:GatewayPort={FreePorts.Next()}",
            $"--OrleansStreams:Silo:StateRoot={temp.Combine("state")}",
            "--OrleansStreams:Silo:PollInterval=00:00:00.050",
            $"--OrleansStreams:Storage:ConnectionString={azurite.ConnectionString}",
            "--OrleansStreams:Notifications:PollInterval=00:00:00.100",
            "--OrleansStreams:Notifications:RouteRefreshInterval=00:00:00.500",
            $"--OrleansStreams:Webhook:QueueName={queue}",
            $"--OrleansStreams:Webhook:Secret={Secret}",
        ]));
        await app.StartAsync();
        await Polling.UntilAsync(async () => (await http.GetAsync($"{url}/readyz")).IsSuccessStatusCode, TimeSpan.FromMinutes(1), () => "the silo never became ready");
        await new QueueClient(azurite.ConnectionString, queue).CreateIfNotExistsAsync();

        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        await using var spark = StreamingSession.Connect(grains, new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), Storage = storage, PollInterval = TimeSpan.FromMilliseconds(50) });
        var checkpoint = temp.Combine("checkpoint");
        var query = await spark.Sql(
                $"SELECT id, file FROM STREAM read_files('{zone.SourcePath}', format => 'json', schema => '{LandingContainer.Schema}', " +
                $"cloudFiles.useNotifications => 'true', queueName => '{queue}')")!
            .WriteStream().Option("checkpointLocation", checkpoint).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync("pushed");
        await Polling.UntilAsync(
            async () => (await grains.GetGrain<INotificationRegistryGrain>(0).GetIfChangedAsync(-1))!.Subscriptions.Any(s => s.Source.CheckpointFolder.StartsWith(checkpoint, StringComparison.Ordinal)),
            TimeSpan.FromMinutes(1), () => "the query's source never registered for notifications");

        // Files land after the first listing (its time is in the source's checkpoint): only their events can bring them in.
        await Polling.UntilAsync(
            () => Task.FromResult(Directory.Exists(checkpoint) && Directory.GetFiles(checkpoint, "listing", SearchOption.AllDirectories).Length > 0),
            TimeSpan.FromMinutes(1), () => "the source never listed its folder");
        var refused = await zone.UploadAsync(0, Rows);
        var accepted = await zone.UploadAsync(1, Rows);
        foreach (var (name, uri, header) in new (string, string, string?)[]
                 {
                     ("no secret", $"{url}/api/eventgrid", null),
                     ("wrong secret", $"{url}/api/eventgrid?code=guess", null),
                     ("wrong secret in the header", $"{url}/api/eventgrid", "guess"),
                 })
        {
            using var response = await http.SendAsync(Push(uri, header, refused));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode}");
        }

        using (var response = await http.SendAsync(Push($"{url}/api/eventgrid?code={Secret}", null, accepted)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Polling.UntilAsync(async () => (await IdsAsync(spark)).Count >= Rows, TimeSpan.FromMinutes(1), () => $"the pushed file's rows never landed: {query.Status} {query.Exception?.Message} {query.LastProgress?.ToJson()}");
        Assert.Equal(Enumerable.Range(Rows, Rows), (await IdsAsync(spark)).Order());

        // The refused file comes in once its event is pushed with the secret (here in the header).
        using (var response = await http.SendAsync(Push($"{url}/api/eventgrid", Secret, refused)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Polling.UntilAsync(async () => (await IdsAsync(spark)).Count >= 2 * Rows, TimeSpan.FromMinutes(1), () => "the second pushed file's rows never landed");
        await query.StopAsync();
        Assert.Equal(Enumerable.Range(0, 2 * Rows), (await IdsAsync(spark)).Order());
    }

    [Fact]
    public void A_webhook_queue_without_a_secret_is_refused_at_startup_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SiloHost.CreateBuilder(["--OrleansStreams:Webhook:QueueName=events"]));
        Assert.Contains("OrleansStreams:Webhook:Secret", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<InvalidOperationException>(() => SiloHost.CreateBuilder(
            ["--OrleansStreams:Webhook:QueueName=events", "--OrleansStreams:Webhook:Secret=x", "--OrleansStreams:Notifications:Enabled=false"]));
        Assert.Contains("OrleansStreams:Notifications:Enabled", error.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Push(string uri, string? headerSecret, BlobCreatedEvent created)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(new JsonArray(BlobEventJson.Write(created, EventSchema.EventGrid)).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (headerSecret is not null)
        {
            request.Headers.Add("X-OrleansStreams-Key", headerSecret);
        }

        return request;
    }

    private static async Task<List<int>> IdsAsync(StreamingSession spark)
    {
        try
        {
            return RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id FROM pushed")!)).Select(r => r["id"]!.GetValue<int>()).ToList();
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return []; // before the first batch created the table
        }
    }
}
