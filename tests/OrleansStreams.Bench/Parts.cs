using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>The measurements that run in a child process, by name (<c>--child NAME</c>).</summary>
internal static class Parts
{
    public static Func<string, bool, Task<JsonObject>> Get(string child)
    {
        // notifications-memory:FILES:SILOS
        if (child.Split(':') is ["notifications-memory", var files, var silos])
        {
            return (work, _) => NotificationCeilingBench.RunAsync(work, int.Parse(files, System.Globalization.CultureInfo.InvariantCulture), int.Parse(silos, System.Globalization.CultureInfo.InvariantCulture));
        }

        // discovery-notifications-prefilled:FILES:AGENTS:HELD (pulling agents, messages each may hold), to compare with the defaults
        if (child.Split(':') is ["discovery-notifications-prefilled", var queued, var agents, var held])
        {
            var options = new Runtime.Notifications.NotificationOptions
            {
                PullingAgents = int.Parse(agents, System.Globalization.CultureInfo.InvariantCulture),
                MaxHeldMessages = int.Parse(held, System.Globalization.CultureInfo.InvariantCulture),
            };
            return (work, _) => NotificationPrefilledBench.RunAsync(work, int.Parse(queued, System.Globalization.CultureInfo.InvariantCulture), options);
        }

        var (name, argument) = child.IndexOf(':') is var colon && colon > 0 ? (child[..colon], int.Parse(child[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture)) : (child, 0);
        return Get(name, argument);
    }

    private static Func<string, bool, Task<JsonObject>> Get(string name, int argument) => name switch
    {
        _ when ParquetWriterRun.Part(name) is { } parquet => parquet, // parquet-WRITER-CASE
        // For profiling one engine by hand: generate the input into --work, then run a part under dotnet-trace.
        "generate-ingest" => (work, small) => Task.FromResult(IngestBench.Generate(work, small)),
        "ingest-ours" => (work, _) => BronzeIngest.RunAsync(work, onSilo: true),
        "ingest-ours-local" => (work, _) => BronzeIngest.RunAsync(work, onSilo: false),
        "ingest-breakdown" => (work, _) => IngestBreakdown.RunAsync(work),
        "ingest-duckdb" => (work, _) => DuckDbIngest.RunAsync(work),
        "ingest-handloop" => (work, _) => HandLoopIngest.RunAsync(work),
        "generate-aggregate" => (work, small) => GenerateAggregateAsync(work, small, argument),
        "aggregate-ours" => (work, _) => AggregationBench.OursAsync(work, argument, filesPerBatch: 1),
        "aggregate-ours-onebatch" => (work, _) => AggregationBench.OursAsync(work, argument, filesPerBatch: AggregationBench.Batches),
        "aggregate-duckdb" => (work, _) => AggregationBench.DuckDbAsync(work, argument),
        "aggregate-handloop" => (work, _) => AggregationBench.HandLoopAsync(work, argument),
        "backlog-ours" => (work, _) => BacklogOurs.RunAsync(work, argument),
        "backlog-duckdb" => (work, _) => BacklogDuckDb.RunAsync(work, argument),
        "latency" => (work, small) => LatencyBench.RunAsync(work, small, null),
        "latency-poll" => (work, small) => LatencyBench.RunAsync(work, small, TimeSpan.FromMilliseconds(argument)),
        "discovery" => DiscoveryBench.RunAsync,
        "discovery-notifications-emulator" => (work, _) => NotificationDiscoveryBench.RunAsync(work, argument, NotificationDiscoveryBench.Producer.Emulator),
        "discovery-notifications-enqueue" => (work, _) => NotificationDiscoveryBench.RunAsync(work, argument, NotificationDiscoveryBench.Producer.Enqueue),
        "discovery-notifications-prefilled" => (work, _) => NotificationPrefilledBench.RunAsync(work, argument, new()),
        _ => throw new ArgumentException($"unknown bench part {name}"),
    };

    private static async Task<JsonObject> GenerateAggregateAsync(string work, bool small, int keys)
    {
        await AggregationBench.GenerateAsync(work, small, keys);
        return [];
    }
}
