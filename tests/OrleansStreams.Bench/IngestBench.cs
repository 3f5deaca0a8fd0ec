using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Bench;

/// <summary>
/// The seed's bronze ingest on generated kafka-raw JSON lines: our AvailableNow query into a Delta
/// table partitioned by topic and month, against DuckDB writing the same partitioned Parquet.
/// </summary>
internal static class IngestBench
{
    public static async Task<JsonObject> RunAsync(long targetBytes)
    {
        var root = Path.Combine(Path.GetTempPath(), $"orleans-streams-bench-{Guid.NewGuid():N}");
        try
        {
            var input = Path.Combine(root, "kafka-raw");
            var (bytes, rows) = Generate(input, targetBytes);

            var watch = Stopwatch.StartNew();
            await using (var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse"), RunQueriesOnSilo = false }))
            {
                var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json")
                    .Schema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG").Load(input)
                    .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
                    .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
                    .WriteStream().Option("checkpointLocation", Path.Combine(root, "checkpoint")).PartitionBy("topic", "year_month")
                    .Trigger(Trigger.AvailableNow).ToTableAsync("bronze");
                await query.AwaitTerminationAsync();
            }

            var ours = watch.Elapsed.TotalSeconds;
            watch.Restart();
            using (var duck = new DuckDBConnection("DataSource=:memory:"))
            {
                duck.Open();
                using var command = duck.CreateCommand();
                command.CommandText = $$"""
                    SET TimeZone = 'UTC';
                    COPY (SELECT from_base64(key) AS key, from_base64(value) AS value, topic, "partition", "offset",
                                 to_timestamp(timestamp / 1000) AS timestamp, strftime(to_timestamp(timestamp / 1000), '%Y-%m') AS year_month
                          FROM read_json('{{input}}/*.json', columns = {key: 'VARCHAR', value: 'VARCHAR', topic: 'VARCHAR', "partition": 'BIGINT', "offset": 'BIGINT', timestamp: 'BIGINT'}))
                    TO '{{Path.Combine(root, "duckdb")}}' (FORMAT parquet, PARTITION_BY (topic, year_month))
                    """;
                command.ExecuteNonQuery();
            }

            var duckSeconds = watch.Elapsed.TotalSeconds;
            var result = new JsonObject
            {
                ["bytes"] = bytes,
                ["rows"] = rows,
                ["seconds"] = Math.Round(ours, 3),
                ["mbPerSec"] = Math.Round(bytes / 1e6 / ours, 1),
                ["rowsPerSec"] = Math.Round(rows / ours),
                ["duckdbMbPerSec"] = Math.Round(bytes / 1e6 / duckSeconds, 1),
                ["ratioVsDuckdb"] = Math.Round(duckSeconds / ours, 3),
            };
            Console.Error.WriteLine($"ingest {bytes / 1e6:F0} MB: {result["mbPerSec"]} MB/s (DuckDB {result["duckdbMbPerSec"]} MB/s)");
            return result;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (long Bytes, long Rows) Generate(string folder, long targetBytes)
    {
        Directory.CreateDirectory(folder);
        var topics = new[] { "orders", "books", "customers" };
        long bytes = 0, rows = 0;
        for (var file = 0; bytes < targetBytes; file++)
        {
            var text = new StringBuilder();
            for (var i = 0; i < 10_000; i++, rows++)
            {
                var key = Convert.ToBase64String(Encoding.UTF8.GetBytes($"key-{rows}"));
                var value = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"order_id\":{rows},\"customer\":\"C{rows % 977:D4}\",\"quantity\":{rows % 5 + 1}}}"));
                var timestamp = 1_640_995_200_000L + (rows * 61_000L);
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"key\":\"{key}\",\"value\":\"{value}\",\"topic\":\"{topics[rows % 3]}\",\"partition\":{rows % 4},\"offset\":{rows},\"timestamp\":{timestamp}}}\n");
            }

            var content = Encoding.UTF8.GetBytes(text.ToString());
            File.WriteAllBytes(Path.Combine(folder, $"part-{file:D5}.json"), content);
            bytes += content.Length;
        }

        return (bytes, rows);
    }
}
