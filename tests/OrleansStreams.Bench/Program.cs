using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Bench;

// The bench command. Each part measures one hot path on generated data and reports rows/s;
// nothing here is asserted: the figures go to the README with the date and machine.
var small = args.Contains("--small");
var jsonIndex = Array.IndexOf(args, "--json");
var jsonPath = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;

var report = new JsonObject
{
    ["machine"] = MachineInfo.Describe(),
    ["engine"] = await EngineBench.RunAsync(small ? 1_000_000 : 10_000_000),
    ["ingest"] = await IngestBench.RunAsync(small ? 50_000_000 : 1_000_000_000),
};

Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
if (jsonPath is not null)
{
    await File.WriteAllTextAsync(jsonPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}
