// A client app: connects to the cluster SiloApp runs (same OrleansStreams:Cluster settings), starts a streaming
// query there that loads JSON files into a Delta table, waits for it, and queries the table.
// Usage: ClusterClient WORK_FOLDER [--OrleansStreams:Cluster:GatewayPort=30000]
using Apache.Arrow;
using Microsoft.Extensions.Configuration;
using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Streaming;

var root = Path.GetFullPath(args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "client-sample");
// Only the --Key=value arguments are settings: a folder such as /tmp/x would read as a /key taking the next argument.
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray())
    .Build();

var events = Path.Combine(root, "events");
Directory.CreateDirectory(events);
File.WriteAllLines(Path.Combine(events, "01.json"),
    Enumerable.Range(1, 5).Select(i => $$"""{"id":{{i}},"kind":"{{(i % 2 == 0 ? "click" : "view")}}"}"""));

// The table's location is resolved here and run by the silo: both see the same folder on this machine.
using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await using var spark = await StreamingSession.ConnectAsync(
    ClusterSettings.FromConfiguration(configuration),
    new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse") },
    connecting.Token);
Console.WriteLine("Connected to the cluster");

var query = await spark.ReadStream
        .Format("cloudFiles")
        .Option("cloudFiles.format", "json")
        .Schema("id LONG, kind STRING")
        .Load(events)
    .WriteStream()
        .QueryName("events_sample")
        .Option("checkpointLocation", Path.Combine(root, "warehouse", "_checkpoints", "events"))
        .Trigger(Trigger.AvailableNow)
        .ToTableAsync("events");
Console.WriteLine("Started the query on the cluster");
await query.AwaitTerminationAsync();

foreach (var batch in await spark.CollectAsync(spark.Sql("SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind")!))
{
    var kinds = (StringArray)batch.Column(0);
    var counts = (Int64Array)batch.Column(1);
    for (var row = 0; row < batch.Length; row++)
    {
        Console.WriteLine($"{kinds.GetString(row)}: {counts.GetValue(row)}");
    }
}

foreach (var registration in await spark.ListClusterQueriesAsync())
{
    Console.WriteLine($"cluster query: {registration.Name}");
}
