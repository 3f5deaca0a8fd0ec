using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Bench;

// The bench command (README.md, "Benchmarks"). Each part runs its baselines next to ours on the same
// input; the figures go to the README with the date and machine. Only one thing is asserted: that the backlog
// case's engines wrote the same rows.
var options = BenchOptions.Parse(args);
if (options.Child is { } child)
{
    await ChildProcess.RunPartAsync(options, Parts.Get(child));
    return;
}

var work = Path.Combine(Path.GetTempPath(), $"orleans-streams-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
var peakMemory = new JsonObject();
var report = new JsonObject { ["machine"] = MachineInfo.Describe(), ["small"] = options.Small };
try
{
    if (options.Runs("engine"))
    {
        report["engine"] = await EngineBench.RunAsync(options.Small ? 1_000_000 : 10_000_000);
        peakMemory["engine"] = ChildProcess.PeakWorkingSetMb();
    }

    if (options.Runs("ingest"))
    {
        report["ingest"] = await IngestBench.RunAsync(work, options.Small, peakMemory);
    }

    if (options.Runs("aggregate"))
    {
        report["aggregate"] = await AggregationBench.RunAsync(work, options.Small, peakMemory);
    }

    if (options.Runs("latency"))
    {
        // With the session's defaults, then polling every 10 ms (Spark's pollingDelay) to show what the poll interval costs.
        var latency = await ChildProcess.RunAsync("latency", work, options.Small);
        latency["withPollInterval10Ms"] = await ChildProcess.RunAsync("latency-poll:10", work, options.Small);
        report["latency"] = latency;
        peakMemory["latency"] = latency["peakWorkingSetMb"]!.DeepClone();
    }

    if (options.Runs("discovery"))
    {
        var discovery = await ChildProcess.RunAsync("discovery", work, options.Small);
        peakMemory["discovery"] = discovery["peakWorkingSetMb"]!.DeepClone();

        // Azurite serves a few hundred requests a second on this machine, so notification mode gets fewer files than listing.
        var notifications = await ChildProcess.RunAsync($"discovery-notifications-enqueue:{NotificationDiscoveryBench.Files(options.Small)}", work, options.Small);
        discovery["notifications"] = notifications;
        peakMemory["discoveryNotifications"] = notifications["peakWorkingSetMb"]!.DeepClone();
        var prefilled = await ChildProcess.RunAsync($"discovery-notifications-prefilled:{NotificationPrefilledBench.Files(options.Small)}", work, options.Small);
        discovery["notificationsPrefilled"] = prefilled;
        peakMemory["discoveryNotificationsPrefilled"] = prefilled["peakWorkingSetMb"]!.DeepClone();
        report["discovery"] = discovery;
    }

    if (options.Runs("notifications"))
    {
        // Notification mode apart from Azurite's queue: an in-memory queue feeding 1, 2 and 3 in-process silos.
        var ceiling = new JsonObject();
        foreach (var silos in new[] { 1, 2, 3 })
        {
            var run = await ChildProcess.RunAsync($"notifications-memory:{NotificationCeilingBench.Files(options.Small)}:{silos}", work, options.Small);
            ceiling[$"silos{silos}"] = run;
            peakMemory[$"notificationsMemorySilos{silos}"] = run["peakWorkingSetMb"]!.DeepClone();
        }

        report["notifications"] = ceiling;
    }

    if (options.Runs("backlog"))
    {
        report["backlog"] = await BacklogBench.RunAsync(work, options.BacklogFiles, peakMemory);
    }

    if (options.Runs("parquet"))
    {
        report["parquet"] = await ParquetBench.RunAsync(work, options.Small, peakMemory);
    }

    report["peakMemoryMb"] = peakMemory;
}
finally
{
    Directory.Delete(work, recursive: true);
}

var json = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
if (options.JsonPath is not null)
{
    await File.WriteAllTextAsync(options.JsonPath, json);
}

ResultTable.Print(report);

// The backlog case checks the engines' outputs against each other: a disagreement fails the run, after the figures.
if (report["backlog"]?["problems"] is JsonArray { Count: > 0 } problems)
{
    await Console.Error.WriteLineAsync($"backlog check FAILED:\n  {string.Join("\n  ", problems.Select(p => p!.GetValue<string>()))}");
    Environment.ExitCode = 1;
}

// The Parquet part reads every writer's file back: a file that does not hold the input's rows fails the run.
if (report["parquet"]?["problems"] is JsonArray { Count: > 0 } parquetProblems)
{
    await Console.Error.WriteLineAsync($"parquet check FAILED:\n  {string.Join("\n  ", parquetProblems.Select(p => p!.GetValue<string>()))}");
    Environment.ExitCode = 1;
}
