using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.CrossProcess.TestHost;

/// <summary>
/// Where a process sends BlobCreated events: the source and relative key the <see cref="SourceRouter"/> finds for
/// each event URL, and for each source the discovery stream its files travel on (its uniform hash and the provider's
/// queue for it), and the hash Orleans places its discovery grain by. Every silo and every restart must answer alike, or a file goes to no source or to two.
/// </summary>
public static class NotificationRouting
{
    /// <param name="casesJson">
    /// <c>{"pullingAgents": n, "connectionString": …, "sources": [{"folder", "checkpointFolder", "queue"}], "events": [url, …]}</c>.
    /// </param>
    public static string Describe(string casesJson)
    {
        var cases = JsonNode.Parse(casesJson)!;
        var connection = cases["connectionString"]!.GetValue<string>();
        var subscriptions = cases["sources"]!.AsArray().Select(s => new NotificationSubscription
        {
            Source = new DiscoverySpec { Folder = s!["folder"]!.GetValue<string>(), CheckpointFolder = s["checkpointFolder"]!.GetValue<string>() },
            Queue = new QueueConnection { QueueName = s["queue"]!.GetValue<string>(), ConnectionString = connection },
        }).ToList();
        var router = new SourceRouter(new NotificationSubscriptions(1, subscriptions));
        var mapper = BlobEventQueueAdapterFactory.QueueMapper(NotificationStreams.ProviderName, cases["pullingAgents"]!.GetValue<int>());

        var streams = new JsonArray();
        foreach (var subscription in subscriptions)
        {
            var stream = StreamId.Create(NotificationStreams.DiscoveryNamespace, subscription.Source.CheckpointFolder);
            streams.Add(new JsonObject
            {
                ["checkpointFolder"] = subscription.Source.CheckpointFolder,
                ["streamHash"] = stream.GetHashCode(),
                ["discoveryGrainHash"] = GrainId.Create("filediscovery", subscription.Source.CheckpointFolder).GetUniformHashCode(),
                ["queue"] = mapper.GetQueueForStream(stream).ToString(),
            });
        }

        var routes = new JsonArray();
        foreach (var url in cases["events"]!.AsArray().Select(e => e!.GetValue<string>()))
        {
            var blob = new BlobCreatedEvent { Id = url, Url = url, ContentLength = 1, EventTime = DateTimeOffset.UnixEpoch };
            var routed = subscriptions.Select(s => s.Queue.Address()).Distinct().SelectMany(queue => router.Route(queue, blob));
            routes.Add(new JsonObject
            {
                ["url"] = url,
                ["to"] = new JsonArray([.. routed.Select(r => (JsonNode)new JsonObject { ["checkpointFolder"] = r.Subscription.Source.CheckpointFolder, ["key"] = r.File.Key })]),
            });
        }

        return new JsonObject { ["streams"] = streams, ["routes"] = routes }.ToJsonString(Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
