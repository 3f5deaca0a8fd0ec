using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>The report as a table on standard output: each figure next to its baselines.</summary>
internal static class ResultTable
{
    public static void Print(JsonObject report)
    {
        var rows = new List<(string Part, string Measure, string Ours, string Baselines)>();
        if (report["engine"] is JsonObject engine)
        {
            foreach (var (name, value) in engine.Where(e => e.Value is JsonObject))
            {
                rows.Add(("engine", name, $"{Millions(value!["rowsPerSec"])} rows/s", string.Empty));
            }
        }

        if (report["ingest"] is JsonObject ingest)
        {
            rows.Add(("ingest", $"{Number(ingest["bytes"]) / 1e6:F0} MB, {ingest["rows"]} rows, {ingest["files"]} files",
                $"{ingest["mbPerSec"]} MB/s ({Millions(ingest["rowsPerSec"])} rows/s)",
                $"DuckDB {ingest["duckdbMbPerSec"]} MB/s (x{ingest["ratioVsDuckdb"]}), hand loop {ingest["handLoopMbPerSec"]} MB/s (x{ingest["ratioVsHandLoop"]}), our local loop {ingest["localLoopMbPerSec"]} MB/s"));
        }

        if (report["ingest"]?["ours"]?["costs"] is JsonObject silo && report["ingest"]?["oursLocalLoop"]?["costs"] is JsonObject loop)
        {
            static string Costs(JsonObject c) => $"{c["allocatedGb"]} GB allocated, {c["gen2Collections"]} gen2 GCs, {c["threadPoolThreads"]} pool threads";
            rows.Add(("ingest", "what the ingest cost (silo / local loop)", Costs(silo), Costs(loop)));
        }

        if (report["aggregate"]?["runs"] is JsonArray runs)
        {
            foreach (var run in runs.OfType<JsonObject>())
            {
                rows.Add(("aggregate", $"count by key, {run["rows"]} rows, {run["keys"]} keys, {run["batches"]} batches",
                    $"{Millions(run["rowsPerSec"])} rows/s (all in one batch: {Millions(run["oneBatchRowsPerSec"])} rows/s), checkpoint {Number(run["checkpointBytesPerBatch"]![0]) / 1e3:F0}-{Number(run["checkpointBytesPerBatch"]!.AsArray()[run["checkpointBytesPerBatch"]!.AsArray().Count - 2]) / 1e3:F0} KB/batch",
                    $"DuckDB {Millions(run["duckdbRowsPerSec"])} rows/s, hand loop {Millions(run["handLoopRowsPerSec"])} rows/s"));
            }
        }

        if (report["latency"] is JsonObject latency)
        {
            rows.Add(("latency", $"file → visible, {latency["files"]} files, default trigger", $"p50 {latency["p50Ms"]} ms, p95 {latency["p95Ms"]} ms, p99 {latency["p99Ms"]} ms (poll {latency["pollIntervalMs"]} ms)",
                latency["withPollInterval10Ms"] is JsonObject fast ? $"polling every 10 ms: p50 {fast["p50Ms"]} ms, p95 {fast["p95Ms"]} ms, p99 {fast["p99Ms"]} ms" : string.Empty));
        }

        if (report["discovery"] is JsonObject discovery)
        {
            rows.Add(("discovery", $"listing, {discovery["files"]} files", $"{discovery["filesPerSec"]} files/s, file log {Number(discovery["checkpointBytes"]) / 1e6:F1} MB",
                $"bare listing {discovery["bareListingFilesPerSec"]} files/s"));
            if (discovery["notifications"] is JsonObject notified)
            {
                rows.Add(("discovery", $"notifications on Azurite, {notified["files"]} files, first event → last row visible",
                    $"{notified["filesPerSec"]} files/s, {notified["queueMessagesDeleted"]} of {notified["queueMessagesSent"]} queue messages taken and deleted, checkpoint {Number(notified["checkpointBytes"]) / 1e3:F0} KB",
                    $"a plain SDK receive/delete loop over the same messages {notified["sdkLoopMessagesPerSec"]} messages/s (ours {notified["ratioToSdkLoop"]}×); uploads to Azurite {notified["uploadFilesPerSec"]} files/s; events: {notified["events"]}"));
            }

            if (discovery["notificationsPrefilled"] is JsonObject prefilled)
            {
                rows.Add(("discovery", $"notifications on Azurite, {prefilled["files"]} messages already queued, first receive → queue drained / last row visible",
                    $"drained {prefilled["drainedFilesPerSec"]} files/s, visible {prefilled["filesPerSec"]} files/s, {prefilled["queueMessagesReceived"]} messages received for {prefilled["queueMessagesSent"]}",
                    $"a plain SDK receive/delete loop over a queue holding the same messages {prefilled["sdkLoopMessagesPerSec"]} messages/s (drained {prefilled["drainRatioToSdkLoop"]}×, visible {prefilled["visibleRatioToSdkLoop"]}×)"));
            }
        }

        if (report["notifications"] is JsonObject ceiling)
        {
            foreach (var (_, node) in ceiling)
            {
                var run = node!.AsObject();
                rows.Add(("notifications", $"in-memory queue, {run["files"]} files, {run["silos"]} silo(s), queue filled → last row visible",
                    $"{run["filesPerSec"]} files/s (all in the file log at {run["filesLoggedPerSec"]} files/s), {run["queueMessagesReceived"]} messages received for {run["queueMessagesSent"]} sent, at most {run["peakMessagesHeld"]} held, peak working set {run["peakWorkingSetMb"]} MB",
                    $"blobs on Azurite, uploaded at {run["uploadFilesPerSec"]} files/s; cores busy {run["coresBusy"]} of {run["cores"]} (silos {run["cpuSecondsSilos"]} CPU-s, Azurite {run["cpuSecondsAzurite"]}); stages {StageSummary(run["notificationStages"])}"));
            }
        }

        if (report["backlog"] is JsonObject backlog)
        {
            static string Outcome(JsonNode? e) => e?["failed"] is { } failed
                ? $"failed: {failed} (peak RSS {e["peakResidentMb"]} MB)"
                : $"{e?["seconds"]} s, {e?["mbPerSec"]} MB/s, peak RSS {e?["peakResidentMb"]} MB";
            var engines = backlog["engines"]!.AsObject();
            rows.Add(("backlog", $"{Number(backlog["bytes"]) / 1e9:F2} GB, {backlog["rows"]} rows, {backlog["files"]} files → Delta by topic/year_month, AvailableNow",
                $"{Outcome(engines["ours"])}; under a 1 GiB heap: {Outcome(engines["ours1GiBHeap"])}", $"DuckDB (memory_limit {BacklogDuckDb.MemoryLimit}) {Outcome(engines["duckdb"])}"));
            var compared = string.Join(", ", backlog["outputsCompared"]!.AsArray().Select(e => $"{e} {engines[e!.GetValue<string>()]!["output"]!["rows"]} rows, checksum {engines[e.GetValue<string>()]!["output"]!["checksum"]}"));
            rows.Add(("backlog", "outputs read back by DuckDB", backlog["outputsAgree"]!.GetValue<bool>() ? "agree" : "DISAGREE (listed below)", compared));
        }

        if (report["parquet"] is JsonObject parquet)
        {
            static string Writer(JsonNode w) =>
                $"{w["mbPerCpuSecond"]} MB/s ({Millions(w["rowsPerCpuSecond"])} rows/s) per core, {w["median"]!["allocatedMb"]} MB allocated, file {Number(w["output"]!["fileBytes"]) / 1e6:F1} MB";
            foreach (var inputCase in ParquetBenchCase.Names.Where(c => parquet[c] is JsonObject))
            {
                var writers = parquet[inputCase]!.AsObject();
                var ours = writers["ours"]!;
                rows.Add(("parquet", $"write {inputCase}: {ours["rows"]} rows, {Number(ours["arrowBytes"]) / 1e6:F0} MB of Arrow in {ours["batches"]} batches, {parquet["compression"]}",
                    Writer(ours), string.Join("; ", writers.Where(w => w.Key != "ours").Select(w => $"{w.Key} {Writer(w.Value!)} (x{w.Value!["throughputVsOurs"]})"))));
            }
        }

        if (report["peakMemoryMb"] is JsonObject memory)
        {
            rows.Add(("memory", "peak working set", string.Join(", ", memory.Select(m => $"{m.Key} {m.Value} MB")), string.Empty));
        }

        var widths = new[] { rows.Max(r => r.Part.Length), rows.Max(r => r.Measure.Length), rows.Max(r => r.Ours.Length) };
        foreach (var (part, measure, ours, baselines) in rows)
        {
            Console.WriteLine($"{part.PadRight(widths[0])}  {measure.PadRight(widths[1])}  {ours.PadRight(widths[2])}  {baselines}");
        }
    }

    /// <summary>The notification path's stages, each as its summed time per file (they overlap across agents).</summary>
    public static string StageSummary(JsonNode? stages) =>
        stages is JsonObject each ? string.Join(", ", each.Select(s => $"{s.Key} {s.Value!["usPerFile"]} µs/file")) : "not measured";

    public static double Number(JsonNode? node) => node is null ? double.NaN : double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    public static string Millions(JsonNode? node) => (Number(node) / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M";
}
