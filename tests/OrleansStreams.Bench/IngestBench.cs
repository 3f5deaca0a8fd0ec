using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 1: the bronze ingest of generated kafka-raw JSON lines, ours next to DuckDB's partitioned COPY and a
/// hand-written single-threaded loop, each in its own process over the same files.
/// </summary>
internal static class IngestBench
{
    public static JsonObject Generate(string work, bool small)
    {
        var (bytes, rows, files) = KafkaRawFiles.Generate(Path.Combine(work, "kafka-raw"), small ? 50_000_000 : 1_000_000_000);
        return new JsonObject { ["bytes"] = bytes, ["rows"] = rows, ["files"] = files };
    }

    public static async Task<JsonObject> RunAsync(string work, bool small, JsonObject peakMemory)
    {
        var input = Generate(work, small);
        var (bytes, rows, files) = (ResultTable.Number(input["bytes"]), ResultTable.Number(input["rows"]), ResultTable.Number(input["files"]));
        var ours = await ChildProcess.RunAsync("ingest-ours", work, small);
        var local = await ChildProcess.RunAsync("ingest-ours-local", work, small);
        var duck = await ChildProcess.RunAsync("ingest-duckdb", work, small);
        var hand = await ChildProcess.RunAsync("ingest-handloop", work, small);
        var breakdown = await ChildProcess.RunAsync("ingest-breakdown", work, small);
        Directory.Delete(Path.Combine(work, "kafka-raw"), recursive: true);

        double MbPerSec(JsonObject part) => Math.Round(bytes / 1e6 / ResultTable.Number(part["seconds"]), 1);
        double Seconds(JsonObject part) => ResultTable.Number(part["seconds"]);
        peakMemory["ingest"] = ours["peakWorkingSetMb"]!.DeepClone();
        peakMemory["ingestLocalLoop"] = local["peakWorkingSetMb"]!.DeepClone();
        peakMemory["ingestDuckdb"] = duck["peakWorkingSetMb"]!.DeepClone();
        peakMemory["ingestHandLoop"] = hand["peakWorkingSetMb"]!.DeepClone();
        return new JsonObject
        {
            ["bytes"] = bytes,
            ["rows"] = rows,
            ["files"] = files,
            ["seconds"] = Math.Round(Seconds(ours), 3),
            ["mbPerSec"] = MbPerSec(ours),
            ["rowsPerSec"] = Math.Round(rows / Seconds(ours)),
            ["duckdbMbPerSec"] = MbPerSec(duck),
            ["handLoopMbPerSec"] = MbPerSec(hand),
            ["ratioVsDuckdb"] = Math.Round(Seconds(duck) / Seconds(ours), 3),
            ["ratioVsHandLoop"] = Math.Round(Seconds(hand) / Seconds(ours), 3),
            ["localLoopMbPerSec"] = MbPerSec(local),
            ["ours"] = ours,
            ["oursLocalLoop"] = local,
            ["duckdb"] = duck,
            ["handLoop"] = hand,
            ["stagesOfOurs"] = breakdown,
        };
    }
}
