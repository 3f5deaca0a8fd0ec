using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// One writer on one case, in a child process of its own (<c>--child parquet-WRITER-CASE</c>): the input is made,
/// writes warm up (JIT tiers, native library, pools) for at least 5 writes and 3 seconds, then <see cref="Repetitions"/> writes are timed by the process's
/// CPU seconds (GC included) and the bytes they allocated. The figures are the median run's; the file stays in the
/// work folder for the parent to read back.
/// </summary>
internal static class ParquetWriterRun
{
    private const int Repetitions = 5;

    // Enough writes for the JIT's tiering to reach its optimized code: a service that writes for long runs that code.
    private const int WarmUpWrites = 5;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(3);

    public static string ChildName(string writer, string inputCase) => $"parquet-{writer}-{inputCase}";

    public static string OutputPath(string work, string writer, string inputCase) => Path.Combine(work, $"{ChildName(writer, inputCase)}.parquet");

    /// <summary>The part for a child name, or null when the name is not one of this part's.</summary>
    public static Func<string, bool, Task<JsonObject>>? Part(string child) =>
        ParquetBenchSettings.Writers.SelectMany(w => ParquetBenchCase.Names.Select(c => (Writer: w, Case: c))).FirstOrDefault(p => ChildName(p.Writer, p.Case) == child) is ({ } writer, { } inputCase)
            ? (work, small) => RunAsync(work, writer, inputCase, small)
            : null;

    private static async Task<JsonObject> RunAsync(string work, string writerName, string inputCase, bool small)
    {
        var input = await ParquetBenchCase.CreateAsync(inputCase, small);
        var writer = ParquetBenchSettings.Writer(writerName);
        var path = OutputPath(work, writerName, inputCase);
        var warmUp = Stopwatch.StartNew();
        for (var w = 0; w < WarmUpWrites || warmUp.Elapsed < WarmUpTime; w++)
        {
            await writer.WriteAsync(path, input);
        }

        var runs = new List<JsonObject>();
        for (var r = 0; r < Repetitions; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var gen2 = GC.CollectionCount(2);
            var watch = Stopwatch.StartNew();
            var fitting = await writer.WriteAsync(path, input);
            var wall = watch.Elapsed.TotalSeconds;
            self.Refresh();
            runs.Add(new JsonObject
            {
                ["cpuSeconds"] = Math.Round((self.TotalProcessorTime - cpu).TotalSeconds, 3),
                ["wallSeconds"] = Math.Round(wall, 3),
                ["fittingSeconds"] = Math.Round(fitting, 3),
                ["allocatedMb"] = Math.Round((GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6, 1),
                ["gen2Collections"] = GC.CollectionCount(2) - gen2,
            });
        }

        var median = runs.OrderBy(r => ResultTable.Number(r["cpuSeconds"])).ElementAt(runs.Count / 2);
        var cpuSeconds = ResultTable.Number(median["cpuSeconds"]);
        var result = new JsonObject
        {
            ["rows"] = input.Rows,
            ["batches"] = input.Batches.Count,
            ["arrowBytes"] = input.ArrowBytes,
            ["mbPerCpuSecond"] = Math.Round(input.ArrowBytes / 1e6 / cpuSeconds, 1),
            ["rowsPerCpuSecond"] = Math.Round(input.Rows / cpuSeconds),
            ["mbPerSecond"] = Math.Round(input.ArrowBytes / 1e6 / ResultTable.Number(median["wallSeconds"]), 1),
            ["median"] = median.DeepClone(),
            ["runs"] = new JsonArray([.. runs]),
        };
        if (writerName == "parquetsharp")
        {
            result["nativePeakMb"] = Math.Round(ParquetSharp.MemoryPool.GetDefaultMemoryPool().MaxMemory / 1e6, 1); // Arrow's pool, which the GC figures miss
        }

        return result;
    }
}
