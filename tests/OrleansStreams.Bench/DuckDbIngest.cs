using System.Diagnostics;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace OrleansStreams.Bench;

/// <summary>DuckDB's side of the ingest: one partitioned COPY of the same files to Parquet (all its threads).</summary>
internal static class DuckDbIngest
{
    public static Task<JsonObject> RunAsync(string work)
    {
        var output = Path.Combine(work, "duckdb");
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC';\n" + CopySql(Path.Combine(work, "kafka-raw"), output);
        var watch = Stopwatch.StartNew();
        command.ExecuteNonQuery();
        var seconds = watch.Elapsed.TotalSeconds;
        var files = Directory.EnumerateFiles(output, "*.parquet", SearchOption.AllDirectories).Count();
        Directory.Delete(output, recursive: true);
        return Task.FromResult(new JsonObject { ["seconds"] = seconds, ["parquetFiles"] = files, ["threads"] = Environment.ProcessorCount });
    }

    /// <summary>The bronze query as one COPY: every <c>*.json</c> in <paramref name="input"/> to Parquet partitioned by topic/year_month.</summary>
    public static string CopySql(string input, string output) => $$"""
        COPY (SELECT from_base64(key) AS key, from_base64(value) AS value, topic, "partition", "offset",
                     to_timestamp(timestamp / 1000) AS timestamp, strftime(to_timestamp(timestamp / 1000), '%Y-%m') AS year_month
              FROM read_json('{{input}}/*.json', format = 'newline_delimited',
                             columns = {key: 'VARCHAR', value: 'VARCHAR', topic: 'VARCHAR', "partition": 'BIGINT', "offset": 'BIGINT', timestamp: 'BIGINT'}))
        TO '{{output}}' (FORMAT parquet, PARTITION_BY (topic, year_month))
        """;
}
