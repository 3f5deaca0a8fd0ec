using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Bench;

/// <summary>
/// Our engine on the backlog, in a child process: the bronze query (<see cref="BronzeIngest"/>) in the default
/// embedded session, warmed up the same way, over the whole backlog folder. A failure (an OOM under a heap limit)
/// is written as figures with <c>failed</c> and the seconds from the query's start, and the table is left for the
/// parent to check and delete.
/// </summary>
internal static class BacklogOurs
{
    public static async Task<JsonObject> RunAsync(string work, int files)
    {
        var root = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"backlog-ours-{Environment.ProcessId}"));
        var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse") });
        await BronzeIngest.WarmUpAsync(spark, root);

        // What the GC may use: the machine's memory, or DOTNET_GCHeapHardLimit when the parent set one.
        var heap = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e6);
        var costs = RunCosts.Start();
        await Console.Error.WriteLineAsync(WatchedChildProcess.MeasuringMarker);
        var watch = Stopwatch.StartNew();
        StreamingQuery query;
        try
        {
            query = await BronzeIngest.StartAsync(spark, BacklogInput.Folder(files), Path.Combine(root, "checkpoint"), "bronze");
            await query.AwaitTerminationAsync();
        }
        catch (Exception e)
        {
            var seconds = watch.Elapsed.TotalSeconds;
            await Console.Error.WriteLineAsync($"backlog, ours: {e}");
            return new JsonObject
            {
                ["failed"] = string.Create(CultureInfo.InvariantCulture, $"{FailureKind.Of(e)} after {seconds:F1} s of the measured run"),
                ["seconds"] = seconds,
                ["gcAvailableMb"] = heap,
                ["root"] = root,
            };
        }

        var result = BronzeIngest.Figures(query, watch.Elapsed.TotalSeconds, costs.Since(), BronzeIngest.Table(root));
        result["gcAvailableMb"] = heap;
        result["root"] = root;
        result["output"] = BronzeIngest.Table(root);
        result["format"] = "delta";
        await spark.DisposeAsync(); // the silo writes its state in the warehouse until it stops
        return result;
    }
}
