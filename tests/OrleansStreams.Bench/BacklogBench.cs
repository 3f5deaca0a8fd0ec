using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 5: a backlog larger than one batch (PERFORMANCE.md, "A backlog larger than memory"). The same
/// kafka-raw files go through each <see cref="BacklogEngine"/> in its own child process, one after the other:
/// wall time, MB/s and peak resident set for each, a failure (an OOM under a heap limit) as a reported outcome.
/// Every finished engine's output is then read back by DuckDB and checked against the input's row count and
/// the other engines' checksum; what disagrees goes to <c>problems</c>, and any problem fails the bench.
/// </summary>
internal static class BacklogBench
{
    public const int DefaultFiles = 300;
    public const int SmallFiles = 6;

    public static async Task<JsonObject> RunAsync(string work, int files, JsonObject peakMemory)
    {
        var input = BacklogInput.Prepare(files);
        var bytes = input["bytes"]!.GetValue<long>();
        var rows = input["rows"]!.GetValue<long>();
        // A child this slow is taken as hung (an OOM can leave ours hung): 5 MB/s is far slower than any engine has
        // been here, and once an engine has finished, four times the slowest finished one's time is too.
        var deadline = TimeSpan.FromSeconds(120 + (bytes / 5e6));
        var slowestFinished = TimeSpan.Zero;
        var engines = new JsonObject();
        var outputs = new List<(string Engine, OutputChecksum Output)>();
        var problems = new JsonArray();
        foreach (var engine in BacklogEngine.All(files))
        {
            var limit = slowestFinished == TimeSpan.Zero ? deadline : TimeSpan.FromTicks(Math.Min(deadline.Ticks, (TimeSpan.FromSeconds(60) + (4 * slowestFinished)).Ticks));
            var outcome = await WatchedChildProcess.RunAsync(engine.Part, work, engine.Environment, limit);
            var figures = outcome.Figures ?? [];
            var entry = new JsonObject
            {
                ["description"] = engine.Description,
                ["environment"] = new JsonObject(engine.Environment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
                ["peakResidentMb"] = outcome.PeakResidentMb,
                ["processWallSeconds"] = Math.Round(outcome.WallSeconds, 1),
                ["exitCode"] = outcome.ExitCode,
            };
            if (outcome.Failure is { } failure)
            {
                entry["failed"] = failure;
                if (!engine.MayFail)
                {
                    problems.Add($"{engine.Name} failed: {failure}");
                }
            }
            else
            {
                var seconds = figures["seconds"]!.GetValue<double>();
                entry["seconds"] = Math.Round(seconds, 2);
                entry["mbPerSec"] = Math.Round(bytes / 1e6 / seconds, 1);
                var output = OutputChecksum.Of(figures["format"]!.GetValue<string>(), figures["output"]!.GetValue<string>());
                entry["output"] = output.ToJson();
                outputs.Add((engine.Name, output));
                slowestFinished = TimeSpan.FromSeconds(Math.Max(slowestFinished.TotalSeconds, outcome.WallSeconds));
            }

            entry["child"] = figures;
            if (figures["root"]?.GetValue<string>() is { } root && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true); // checked: only one engine's output is on disk at a time
            }

            engines[engine.Name] = entry;
            peakMemory[$"backlog{char.ToUpperInvariant(engine.Name[0])}{engine.Name[1..]}"] = outcome.PeakResidentMb;
        }

        var disagreements = Compare(outputs, rows).ToList();
        foreach (var problem in disagreements)
        {
            problems.Add(problem);
        }

        return new JsonObject
        {
            ["input"] = input,
            ["bytes"] = bytes,
            ["rows"] = rows,
            ["files"] = files,
            ["engines"] = engines,
            ["outputsCompared"] = new JsonArray(outputs.Select(o => (JsonNode)o.Engine).ToArray()),
            ["outputsAgree"] = disagreements.Count == 0,
            ["problems"] = problems,
        };
    }

    /// <summary>What is wrong with the finished engines' outputs: a row count or offset range unlike the input's, or checksums that differ.</summary>
    private static IEnumerable<string> Compare(List<(string Engine, OutputChecksum Output)> outputs, long rows)
    {
        if (outputs.Count < 2)
        {
            yield return $"only {outputs.Count} engine(s) finished: no outputs to compare";
        }

        foreach (var (engine, output) in outputs)
        {
            if (output.Rows != rows || output.MinOffset != 0 || output.MaxOffset != rows - 1)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"{engine} wrote {output.Rows} rows with offsets {output.MinOffset}..{output.MaxOffset}; the input has {rows} rows with offsets 0..{rows - 1}");
            }
        }

        if (outputs.Select(o => (o.Output.Rows, o.Output.Checksum)).Distinct().Count() > 1)
        {
            yield return "the outputs differ: " + string.Join(", ", outputs.Select(o => $"{o.Engine} {o.Output.Rows} rows, checksum {o.Output.Checksum}"));
        }
    }
}
