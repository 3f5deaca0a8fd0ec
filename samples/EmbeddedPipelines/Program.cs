// The seed's pipelines (shared/seeds, src/OrleansStreams.Cli/Demo/SeedPipelines.cs) in a user's console app,
// on the SDK embedded: queries run on an in-process silo over local files. Usage: EmbeddedPipelines [WORK_FOLDER]
using System.Text;
using Apache.Arrow;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using static OrleansStreams.Engine.DataFrames.Functions;

var root = Path.GetFullPath(args.Length > 0 ? args[0] : "embedded-sample");
var dataset = Path.Combine(root, "bookstore");
var checkpoints = Path.Combine(root, "warehouse", "_checkpoints");
SampleData.Write(dataset);

await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = Path.Combine(root, "warehouse") });

// Bronze: Auto Loader over the Kafka messages, partitioned by topic and month.
var schema = "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG";
var bronze = await spark.ReadStream
        .Format("cloudFiles")
        .Option("cloudFiles.format", "json")
        .Schema(schema)
        .Load($"{dataset}/kafka-raw")
        .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
        .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
    .WriteStream()
        .Option("checkpointLocation", $"{checkpoints}/bronze")
        .Option("mergeSchema", true)
        .PartitionBy("topic", "year_month")
        .Trigger(Trigger.AvailableNow)
        .ToTableAsync("bronze");
await bronze.AwaitTerminationAsync();

// The books files into the Delta table the author counts read as a stream.
var books = await spark.ReadStream
        .Format("cloudFiles")
        .Option("cloudFiles.format", "json")
        .Schema("book_id STRING, title STRING, author STRING, category STRING, price DOUBLE")
        .Load($"{dataset}/books")
    .WriteStream()
        .Option("checkpointLocation", $"{checkpoints}/books")
        .Trigger(Trigger.AvailableNow)
        .ToTableAsync("books");
await books.AwaitTerminationAsync();

// Author counts: a streaming temp view, an aggregation over it, complete mode.
spark.ReadStream.Table("books").CreateOrReplaceTempView("books_streaming_tmp_vw");
spark.Sql("""
    CREATE OR REPLACE TEMP VIEW author_counts_tmp_vw AS
    SELECT author, count(book_id) AS total_books
    FROM books_streaming_tmp_vw
    GROUP BY author
    """);
var authorCounts = await spark.Table("author_counts_tmp_vw")
    .WriteStream()
    .Trigger(Trigger.AvailableNow)
    .OutputMode("complete")
    .Option("checkpointLocation", $"{checkpoints}/author_counts")
    .ToTableAsync("author_counts");
await authorCounts.AwaitTerminationAsync();

await PrintAsync(spark, "SELECT topic, count(*) AS messages FROM bronze GROUP BY topic ORDER BY topic");
await PrintAsync(spark, "SELECT author, total_books FROM author_counts ORDER BY total_books DESC, author");

static async Task PrintAsync(StreamingSession spark, string sql)
{
    Console.WriteLine(sql);
    foreach (var batch in await spark.CollectAsync(spark.Sql(sql)!))
    {
        for (var row = 0; row < batch.Length; row++)
        {
            Console.WriteLine(string.Join(" | ", batch.Arrays.Select(column => Text(column, row))));
        }
    }
}

static string Text(IArrowArray column, int row) => column switch
{
    StringArray strings => strings.GetString(row) ?? "null",
    Int64Array longs => longs.GetValue(row)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    _ => column.GetType().Name,
};

/// <summary>A small bookstore: Kafka messages as JSON lines (key and value base64, timestamp in ms) and books.</summary>
internal static class SampleData
{
    public static void Write(string dataset)
    {
        Directory.CreateDirectory(Path.Combine(dataset, "kafka-raw"));
        Directory.CreateDirectory(Path.Combine(dataset, "books"));
        var messages = Enumerable.Range(0, 12).Select(i =>
        {
            var topic = i % 3 == 0 ? "books" : "orders";
            var key = Convert.ToBase64String(Encoding.UTF8.GetBytes($"K{i:D3}"));
            var value = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"order_id":"O{{i:D3}}","quantity":{{1 + (i % 4)}}}"""));
            var timestamp = 1_704_067_200_000L + (i * 20L * 24 * 3600 * 1000); // from 2024-01-01, every 20 days
            return $$"""{"key":"{{key}}","value":"{{value}}","topic":"{{topic}}","partition":0,"offset":{{i}},"timestamp":{{timestamp}}}""";
        });
        File.WriteAllLines(Path.Combine(dataset, "kafka-raw", "01.json"), messages);
        File.WriteAllLines(Path.Combine(dataset, "books", "01.json"),
        [
            """{"book_id":"B01","title":"Dune","author":"Frank Herbert","category":"Science Fiction","price":9.5}""",
            """{"book_id":"B02","title":"Children of Dune","author":"Frank Herbert","category":"Science Fiction","price":8.0}""",
            """{"book_id":"B03","title":"Emma","author":"Jane Austen","category":"Novel","price":6.0}""",
            """{"book_id":"B04","title":"Persuasion","author":"Jane Austen","category":"Novel","price":6.5}""",
            """{"book_id":"B05","title":"Sanditon","author":"Jane Austen","category":"Novel","price":7.0}""",
            """{"book_id":"B06","title":"Solaris","author":"Stanislaw Lem","category":"Science Fiction","price":8.5}""",
        ]);
    }
}
