using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>The Event Grid webhook over real HTTP (Kestrel on loopback): handshakes, authentication, and delivery into the pipeline.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventGridWebhookTests(AzuriteFixture azurite)
{
    private const string Handshake = """
        [{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66","topic":"/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
          "subject":"","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp-eastus2.eventgrid.azure.net/x"},
          "eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2024-08-06T22:09:30.740323Z","metadataVersion":"1","dataVersion":"2"}]
        """;

    private static readonly HttpClient Http = new();

    [Fact]
    public async Task The_subscription_handshakes_are_answered_for_the_secret_or_a_valid_Entra_tokenAsync()
    {
        await using var host = await WebhookHost.StartAsync("unused-events");
        var ways = new (string Name, Func<HttpRequestMessage, HttpRequestMessage> Authenticate)[]
        {
            ("secret in the query", r => WithUri(r, $"{host.Address}?code={WebhookHost.Secret}")),
            ("secret in the header", r => WithHeader(r, "X-OrleansStreams-Key", WebhookHost.Secret)),
            ("Entra token", r => WithBearer(r, host.Token())),
        };
        foreach (var (name, authenticate) in ways)
        {
            using var response = await Http.SendAsync(authenticate(Post(host, Handshake)));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {response.StatusCode}");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", body["validationResponse"]!.GetValue<string>());

            using var options = await Http.SendAsync(authenticate(WithHeader(new HttpRequestMessage(HttpMethod.Options, host.Address), "WebHook-Request-Origin", "eventgrid.azure.net")));
            Assert.True(options.StatusCode == HttpStatusCode.OK, $"{name}, CloudEvents validation: {options.StatusCode}");
            Assert.Equal("eventgrid.azure.net", Assert.Single(options.Headers.GetValues("WebHook-Allowed-Origin")));
        }
    }

    [Fact]
    public async Task Requests_without_the_secret_or_a_valid_Entra_token_get_401Async()
    {
        await using var host = await WebhookHost.StartAsync("unused-events");
        var otherKey = new SymmetricSecurityKey(new byte[32]);
        var cases = new (string Name, HttpRequestMessage Request)[]
        {
            ("no credentials", Post(host, Handshake)),
            ("wrong secret in the query", WithUri(Post(host, Handshake), $"{host.Address}?code=guess")),
            ("secret with a different length", WithUri(Post(host, Handshake), $"{host.Address}?code={WebhookHost.Secret}x")),
            ("wrong secret in the header", WithHeader(Post(host, Handshake), "X-OrleansStreams-Key", "guess")),
            ("secret sent as a bearer token", WithBearer(Post(host, Handshake), WebhookHost.Secret)),
            ("token for another audience", WithBearer(Post(host, Handshake), host.Token(audience: "api://someone-else"))),
            ("token from another issuer", WithBearer(Post(host, Handshake), host.Token(issuer: "https://login.example.test/other-tenant/v2.0"))),
            ("token signed with another key", WithBearer(Post(host, Handshake), host.Token(key: otherKey))),
            ("expired token", WithBearer(Post(host, Handshake), host.Token(lifetime: TimeSpan.FromMinutes(-30)))),
            ("CloudEvents validation without credentials", WithHeader(new HttpRequestMessage(HttpMethod.Options, host.Address), "WebHook-Request-Origin", "eventgrid.azure.net")),
        };
        foreach (var (name, request) in cases)
        {
            using var response = await Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name}: {response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(cases.Length, host.Logs.Find(LogLevel.Information, "rejected (no valid secret or token)").Count());
    }

    [Fact]
    public async Task Pushed_BlobCreated_events_reach_a_query_through_the_notification_queueAsync()
    {
        var zone = new LandingZone(azurite, "pushed");
        using var temp = new TempDirectory("webhook");
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        await using var host = await WebhookHost.StartAsync(zone.Queue.Name, builder => builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "webhook-test", clusterId: $"webhook-{Guid.NewGuid():N}")
            .UseInMemoryReminderService()
            .AddOrleansStreams(new OrleansStreamsSiloOptions
            {
                StateRoot = temp.Combine("state"),
                Storage = storage,
                PollInterval = TimeSpan.FromMilliseconds(50),
                Notifications = new NotificationOptions { PollInterval = TimeSpan.FromMilliseconds(100), RouteRefreshInterval = TimeSpan.FromMilliseconds(500) },
            })));
        await using var spark = StreamingSession.Connect(
            (IGrainFactory)host.App.Services.GetService(typeof(IGrainFactory))!,
            new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), Storage = storage, PollInterval = TimeSpan.FromMilliseconds(50) });
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.useNotifications", true)
            .Option("cloudFiles.queueName", zone.Queue.Name).Schema(LandingZone.Schema).Load(zone.SourcePath)
            .WriteStream().Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.ProcessingTime("200 milliseconds")).ToTableAsync("pushed");

        // Event Grid pushes batches: one in the Event Grid schema, one in CloudEvents 1.0, with a foreign event among them; the first comes twice.
        var files = new List<BlobCreatedEvent>();
        for (var i = 0; i < 6; i++)
        {
            files.Add(await zone.UploadAsync(i, 4));
        }

        var eventGrid = new JsonArray([.. files.Take(3).Select(f => (JsonNode)BlobEventJson.Write(f, EventSchema.EventGrid))]);
        var foreign = BlobEventJson.Write(files[0] with { Id = "deleted-1" }, EventSchema.EventGrid);
        foreign["eventType"] = "Microsoft.Storage.BlobDeleted";
        eventGrid.Add(foreign);
        var cloudEvents = new JsonArray([.. files.Skip(3).Select(f => (JsonNode)BlobEventJson.Write(f, EventSchema.CloudEvents))]);
        foreach (var batch in new[] { eventGrid, cloudEvents, eventGrid })
        {
            using var response = await Http.SendAsync(WithUri(Post(host, batch.ToJsonString()), $"{host.Address}?code={WebhookHost.Secret}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A delivery of 1 MB-class size is split over messages within the queue's 64 KiB limit (Azurite enforces it too).
        var large = new JsonArray([.. Enumerable.Range(0, 100).SelectMany(_ => files).Select(f => (JsonNode)BlobEventJson.Write(f with { Id = Guid.NewGuid().ToString() }, EventSchema.EventGrid))]);
        Assert.True(Encoding.UTF8.GetByteCount(large.ToJsonString()) > 4 * NotificationStreams.MaxMessageBytes);
        using (var response = await Http.SendAsync(WithHeader(Post(host, large.ToJsonString()), "X-OrleansStreams-Key", WebhookHost.Secret)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var bad = await Http.SendAsync(WithUri(Post(host, "{\"not\": \"events\""), $"{host.Address}?code={WebhookHost.Secret}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        await Eventually.TrueAsync(async () => await CountAsync(spark) >= 24, "the pushed files' rows");
        await Eventually.TrueAsync(async () => await zone.QueuedAsync() == 0, "the queue emptied");
        await query.StopAsync();

        Assert.Equal(Enumerable.Range(0, 24), RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id FROM pushed ORDER BY id")!)).Select(r => r["id"]!.GetValue<int>()));
        Assert.Equal(2, host.Logs.Find(LogLevel.Information, "events other than BlobCreated ignored: Microsoft.Storage.BlobDeleted deleted-1").Count());
    }

    private static async Task<long> CountAsync(StreamingSession spark)
    {
        try
        {
            return long.Parse(RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT count(*) AS n FROM pushed")!))[0]["n"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Engine.Expressions.Analysis.AnalysisException)
        {
            return 0;
        }
    }

    private static HttpRequestMessage Post(WebhookHost host, string json) =>
        new(HttpMethod.Post, host.Address) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage WithUri(HttpRequestMessage request, string uri)
    {
        request.RequestUri = new Uri(uri);
        return request;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Add(name, value);
        return request;
    }

    private static HttpRequestMessage WithBearer(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
