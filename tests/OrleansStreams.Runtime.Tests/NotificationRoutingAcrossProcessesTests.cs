using System.Text.Json.Nodes;
using OrleansStreams.CrossProcess.TestHost;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Any silo's pulling agent may take a queue's messages, and a restarted silo takes over from a dead one: each must
/// route a BlobCreated event to the same sources with the same file keys (the keys a listing of the folder gives, or
/// the file log takes the file twice), on the same discovery stream and provider queue, to the same grain.
/// </summary>
public sealed class NotificationRoutingAcrossProcessesTests : IDisposable
{
    private const string Cases = """
        {
          "pullingAgents": 8,
          "connectionString": "UseDevelopmentStorage=true",
          "sources": [
            { "folder": "abfss://landing@acct1.dfs.core.windows.net/in/böök dir", "checkpointFolder": "abfss://chk@acct1.dfs.core.windows.net/q1/sources/0", "queue": "events" },
            { "folder": "https://acct1.blob.core.windows.net/landing/in", "checkpointFolder": "abfss://chk@acct1.dfs.core.windows.net/Iı İi/sources/1", "queue": "events" },
            { "folder": "http://127.0.0.1:10000/devstoreaccount1/landing/other", "checkpointFolder": "/tmp/chk/q3/sources/0", "queue": "other" }
          ],
          "events": [
            "https://acct1.blob.core.windows.net/landing/in/b%C3%B6%C3%B6k%20dir/Stra%C3%9Fe%201.json",
            "https://acct1.blob.core.windows.net/landing/in/%C4%B0stanbul%20%C4%B1.json",
            "http://127.0.0.1:10000/devstoreaccount1/landing/other/x%2520y.json",
            "https://acct1.blob.core.windows.net/landing/elsewhere/z.json"
          ]
        }
        """;

    private readonly TempDirectory temp = new("notification-routing");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Two_other_processes_route_every_event_and_stream_as_this_one_doesAsync()
    {
        var input = temp.Combine("cases.json");
        await File.WriteAllTextAsync(input, Cases);
        var ours = NotificationRouting.Describe(Cases);

        // The keys are the blob names a listing of each source folder gives.
        var routes = JsonNode.Parse(ours)!["routes"]!.AsArray();
        Assert.Equal(["Iı İi/sources/1:böök dir/Straße 1.json", "q1/sources/0:Straße 1.json"], Targets(routes[0]!));
        Assert.Equal(["Iı İi/sources/1:İstanbul ı.json"], Targets(routes[1]!));
        Assert.Equal(["q3/sources/0:x%20y.json"], Targets(routes[2]!));
        Assert.Empty(Targets(routes[3]!));

        foreach (var culture in new[] { "de-DE", "tr-TR" })
        {
            Assert.Equal(ours, await CrossProcessHost.RunAsync(culture, "routes", input));
        }
    }

    private static List<string> Targets(JsonNode route) =>
        [.. route["to"]!.AsArray().Select(t => $"{string.Join('/', t!["checkpointFolder"]!.GetValue<string>().Split('/')[^3..])}:{t["key"]!.GetValue<string>()}").Order(StringComparer.Ordinal)];
}
