using OrleansStreams.Client;
using OrleansStreams.Runtime.TestHost;

// Usage: <scenario> <input folder> <warehouse> <checkpoint> <table path>
// Runs one scenario's streaming query on an embedded session until it ends (Trigger.AvailableNow), then exits:
// the runtime tests start this process again and again on one checkpoint, and kill it mid-batch.
if (args.Length != 5 || !ScenarioCatalog.TryFind(args[0], out var scenario))
{
    Console.Error.WriteLine($"usage: OrleansStreams.Runtime.TestHost <scenario> <input> <warehouse> <checkpoint> <table>; scenarios: {string.Join(", ", ScenarioCatalog.Names)}");
    return 2;
}

var paths = new ScenarioPaths(args[1], args[2], args[3], args[4]);
await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = paths.Warehouse });
try
{
    var query = await scenario.StartAsync(spark, paths);
    await query.AwaitTerminationAsync();
    Console.WriteLine($"done after {query.RecentProgress.Count} batches");
    return 0;
}
catch (Exception e)
{
    // Exit 1 with the reason (an unsupported plan, a failed query) for the test to show, rather than abort.
    Console.Error.WriteLine(e);
    return 1;
}
