using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace OrleansStreams.Bench;

/// <summary>
/// DuckDB on the backlog, in a child process: the ingest's partitioned COPY (<see cref="DuckDbIngest.CopySql"/>)
/// with <c>memory_limit = '1GB'</c> and a spill folder in the work folder, warmed up by the same COPY over the
/// one small file ours warms up with. Its output is left for the parent to check and delete.
/// </summary>
internal static class BacklogDuckDb
{
    public const string MemoryLimit = "1GB";

    public static Task<JsonObject> RunAsync(string work, int files)
    {
        var root = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"backlog-duckdb-{Environment.ProcessId}"));
        var output = Path.Combine(root, "output");
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        Execute(duck, $"SET TimeZone = 'UTC'; SET memory_limit = '{MemoryLimit}'; SET temp_directory = '{Path.Combine(root, "spill")}'");

        var warmUp = Path.Combine(root, "warm-up");
        KafkaRawFiles.WriteWarmUp(warmUp);
        Execute(duck, DuckDbIngest.CopySql(warmUp, Path.Combine(root, "warm-up-output")));

        Console.Error.WriteLine(WatchedChildProcess.MeasuringMarker);
        var watch = Stopwatch.StartNew();
        try
        {
            Execute(duck, DuckDbIngest.CopySql(BacklogInput.Folder(files), output));
        }
        catch (DuckDBException e)
        {
            var failed = watch.Elapsed.TotalSeconds;
            return Task.FromResult(new JsonObject
            {
                ["failed"] = string.Create(CultureInfo.InvariantCulture, $"{FailureKind.Of(e)} after {failed:F1} s of the measured run"),
                ["seconds"] = failed,
                ["root"] = root,
            });
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return Task.FromResult(new JsonObject
        {
            ["seconds"] = seconds,
            ["parquetFiles"] = Directory.EnumerateFiles(output, "*.parquet", SearchOption.AllDirectories).Count(),
            ["threads"] = Environment.ProcessorCount,
            ["memoryLimit"] = MemoryLimit,
            ["root"] = root,
            ["output"] = output,
            ["format"] = "parquet",
        });
    }

    private static void Execute(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
