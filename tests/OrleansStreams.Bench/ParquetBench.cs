using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// The Parquet part: our writer next to ParquetSharp's Arrow writer and Parquet.Net on the same batches, each writer
/// and case in its own process (<see cref="ParquetWriterRun"/>), one thread, the same settings
/// (<see cref="ParquetBenchSettings"/>). Each file is then read back by DuckDB; files that disagree on the rows are
/// listed as problems, which fail the run.
/// </summary>
internal static class ParquetBench
{
    public static async Task<JsonObject> RunAsync(string work, bool small, JsonObject peakMemory)
    {
        var result = new JsonObject
        {
            ["rowGroupRows"] = ParquetBenchSettings.RowGroupRows,
            ["compression"] = ParquetBenchSettings.Compression.ToString(),
        };
        var problems = new JsonArray();
        foreach (var inputCase in ParquetBenchCase.Names)
        {
            var schema = inputCase == "bronze" ? BronzeBatches.Schema : AllTypesBatches.Schema;
            var writers = new JsonObject();
            foreach (var writer in ParquetBenchSettings.Writers)
            {
                var figures = await ChildProcess.RunAsync(ParquetWriterRun.ChildName(writer, inputCase), work, small);
                var path = ParquetWriterRun.OutputPath(work, writer, inputCase);
                figures["output"] = ParquetReadBack.Of(path, schema);
                File.Delete(path);
                peakMemory[$"parquet-{writer}-{inputCase}"] = figures["peakWorkingSetMb"]!.DeepClone();
                writers[writer] = figures;
            }

            var ours = writers["ours"]!;
            foreach (var (name, figures) in writers)
            {
                figures!["throughputVsOurs"] = Math.Round(ResultTable.Number(figures["mbPerCpuSecond"]) / ResultTable.Number(ours["mbPerCpuSecond"]), 2);
                var (rows, checksum) = (figures["output"]!["rows"]!.GetValue<long>(), figures["output"]!["checksum"]!.GetValue<string>());
                if (rows != figures["rows"]!.GetValue<long>() || checksum != ours["output"]!["checksum"]!.GetValue<string>())
                {
                    problems.Add($"{inputCase}: {name}'s file reads back as {rows} rows, checksum {checksum}; ours {ours["output"]!["rows"]} rows, checksum {ours["output"]!["checksum"]}");
                }
            }

            result[inputCase] = writers;
        }

        result["problems"] = problems;
        return result;
    }
}
