using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The streaming operators beyond project/filter/aggregate: a union of streams, dropDuplicates with and
/// without a watermark, and a stream–static join on a Delta table; each on the in-process loop and on grains.
/// </summary>
public sealed class StreamOperatorTests : IDisposable
{
    private const string EventSchema = "id STRING, t LONG, n LONG";

    private readonly TempDirectory temp = new("operators");

    public void Dispose() => temp.Dispose();

    private StreamingSession Session(bool onSilo) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_union_of_two_streams_takes_each_file_of_each_once_across_restartsAsync(bool onSilo)
    {
        for (var i = 0; i < 3; i++)
        {
            KafkaRawFiles.Write(temp.Combine("a"), i, 4);
        }

        KafkaRawFiles.Write(temp.Combine("b"), 100, 4);
        await RunUnionAsync(onSilo);

        KafkaRawFiles.Write(temp.Combine("a"), 3, 4);
        KafkaRawFiles.Write(temp.Combine("b"), 101, 4);
        KafkaRawFiles.Write(temp.Combine("b"), 102, 4);
        var progress = await RunUnionAsync(onSilo);

        var expected = Enumerable.Range(0, 16).Concat(Enumerable.Range(400, 12)).Select(o => (long)o).Order().ToList();
        await using var spark = Session(onSilo: false);
        var ours = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT offset FROM merged ORDER BY offset")!)).Select(r => long.Parse(r["offset"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, ours);
        var duck = DuckDbDelta.ReadRows(temp.Combine("warehouse", "merged")).Select(r => long.Parse(r!["offset"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(expected, duck);

        // The second run's batches read both sources, each with its own offsets and row counts.
        var sources = progress["sources"]!.AsArray();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, s => Assert.StartsWith("CloudFilesSource[", s!["description"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    private async Task<JsonNode> RunUnionAsync(bool onSilo)
    {
        await using var spark = Session(onSilo);
        var a = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.maxFilesPerTrigger", "1")
            .Schema(KafkaRawFiles.Schema).Load(temp.Combine("a"));
        var b = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(KafkaRawFiles.Schema).Load(temp.Combine("b"));
        var query = await a.Union(b).Select("offset", "topic").WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "merged"))
            .Trigger(Trigger.AvailableNow)
            .ToTableAsync("merged");
        await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60));
        Assert.Null(query.Exception);
        return query.RecentProgress.Select(p => (JsonNode)p.ToJson()).Last(p => p["sources"]!.AsArray().Count(s => s!["numInputRows"]!.GetValue<long>() > 0) == 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Drop_duplicates_keeps_the_first_row_of_each_key_across_batches_and_restartsAsync(bool onSilo)
    {
        WriteEvents("e0", ("a", 1, 1), ("b", 2, 2), ("a", 3, 3));
        WriteEvents("e1", ("b", 4, 4), ("c", 5, 5));
        await RunDeduplicationAsync(onSilo);
        WriteEvents("e2", ("c", 6, 6), ("d", 7, 7), ("a", 8, 8), ("d", 9, 9));
        await RunDeduplicationAsync(onSilo);

        await using var spark = Session(onSilo: false);
        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id, n FROM unique_events ORDER BY id")!));
        Assert.Equal(["a:1", "b:2", "c:5", "d:7"], rows.Select(r => $"{r["id"]}:{r["n"]}"));
    }

    private async Task RunDeduplicationAsync(bool onSilo)
    {
        await using var spark = Session(onSilo);
        var query = await Events(spark, maxFiles: 1).DropDuplicates("id").WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "unique"))
            .Trigger(Trigger.AvailableNow)
            .ToTableAsync("unique_events");
        await query.AwaitTerminationAsync(TimeSpan.FromSeconds(60));
        Assert.Null(query.Exception);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Drop_duplicates_with_a_watermark_drops_late_rows_and_forgets_keys_behind_itAsync(bool onSilo)
    {
        await using var spark = Session(onSilo);
        var query = await Events(spark, maxFiles: 1000)
            .WithColumn("ts", Col("t").Cast("timestamp"))
            .WithWatermark("ts", "10 seconds")
            .DropDuplicates("id", "ts")
            .WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "watermarked"))
            .Trigger(Trigger.Manual)
            .ToTableAsync("deduplicated");

        WriteEvents("w0", ("a", 100, 1), ("b", 100, 2), ("a", 100, 3));
        await query.ProcessAllAvailableAsync(); // max event time 100 s: the next batch's watermark is 90 s
        WriteEvents("w1", ("a", 100, 4), ("c", 200, 5));
        await query.ProcessAllAvailableAsync(); // a@100 is still known; watermark now 190 s
        WriteEvents("w2", ("a", 100, 6), ("d", 195, 7), ("d", 195, 8));
        await query.ProcessAllAvailableAsync(); // a@100 is late; keys behind 190 s are forgotten
        var stateRows = query.LastProgress!.ToJson()["stateOperators"]![0]!["numRowsTotal"]!.GetValue<long>();
        await query.StopAsync();

        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT id, n FROM deduplicated ORDER BY n")!));
        Assert.Equal(["a:1", "b:2", "c:5", "d:7"], rows.Select(r => $"{r["id"]}:{r["n"]}"));
        Assert.Equal(2, stateRows); // c@200 and d@195
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stream_joins_a_static_delta_table_read_at_each_batchAsync(bool onSilo)
    {
        await using var spark = Session(onSilo);
        WriteJson("books-in", "b0", """{"id":"a","t":1,"n":10}""", """{"id":"b","t":1,"n":20}""");
        var books = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema(EventSchema).Load(temp.Combine("books-in"))
            .SelectExpr("id AS book_id", "n AS price").WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "books")).Trigger(Trigger.AvailableNow).ToTableAsync("books");
        await books.AwaitTerminationAsync(TimeSpan.FromSeconds(60));

        Events(spark, maxFiles: 1000).CreateOrReplaceTempView("orders_stream");
        var query = await spark.Sql("SELECT o.n AS order_id, b.book_id, b.price FROM orders_stream o JOIN books b ON o.id = b.book_id")!
            .WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "joined"))
            .Trigger(Trigger.Manual)
            .ToTableAsync("joined");
        WriteEvents("o0", ("a", 1, 1), ("b", 1, 2), ("z", 1, 3));
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT order_id, book_id, price FROM joined ORDER BY order_id")!));
        Assert.Equal(["1:a:10", "2:b:20"], rows.Select(r => $"{r["order_id"]}:{r["book_id"]}:{r["price"]}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_batch_of_a_stream_static_join_sees_the_tables_newest_versionAsync(bool onSilo)
    {
        await using var spark = Session(onSilo);
        var schema = Engine.Types.DdlParser.ParseSchema("book_id STRING, price LONG");
        var books = new Storage.Tables.DeltaTable(spark.Catalog.OpenStore(await spark.Catalog.CreateAsync("books")));
        await books.WriteAsync(schema, [RecordBatches.Of(schema, [["a", 10L], ["b", 20L]])]);

        Events(spark, maxFiles: 1000).CreateOrReplaceTempView("orders_stream");
        var query = await spark.Sql("SELECT o.n AS order_id, b.book_id, b.price FROM orders_stream o JOIN books b ON o.id = b.book_id")!
            .WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "repriced"))
            .Trigger(Trigger.Manual)
            .ToTableAsync("repriced");
        WriteEvents("o0", ("a", 1, 1), ("c", 1, 2));
        await query.ProcessAllAvailableAsync();

        // Between batches: a's price changes and c appears (an overwrite, then an append).
        await books.WriteAsync(schema, [RecordBatches.Of(schema, [["a", 11L], ["b", 20L]])], new Storage.Tables.DeltaWriteOptions { Mode = Storage.Tables.DeltaWriteMode.Overwrite });
        await books.WriteAsync(schema, [RecordBatches.Of(schema, [["c", 30L]])]);
        WriteEvents("o1", ("a", 2, 3), ("c", 2, 4), ("b", 2, 5));
        await query.ProcessAllAvailableAsync();
        await query.StopAsync();

        Assert.Equal(2, query.RecentProgress.Count(p => p.NumInputRows > 0));
        var rows = RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT order_id, book_id, price FROM repriced ORDER BY order_id")!));
        Assert.Equal(["1:a:10", "3:a:11", "4:c:30", "5:b:20"], rows.Select(r => $"{r["order_id"]}:{r["book_id"]}:{r["price"]}"));
    }

    [Fact]
    public async Task Drop_duplicates_after_a_streaming_aggregation_is_refused_clearlyAsync()
    {
        await using var spark = Session(onSilo: false);
        var frame = Events(spark, maxFiles: 1).GroupBy("id").Count().DropDuplicates("id");
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => frame.WriteStream()
            .Option("checkpointLocation", temp.Combine("checkpoints", "refused")).OutputMode("complete").Format("memory").QueryName("refused").StartAsync());
        Assert.Contains("deduplicate before aggregating", error.Message, StringComparison.Ordinal);
    }

    private DataFrame Events(StreamingSession spark, int maxFiles) =>
        spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", maxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Schema(EventSchema).Load(temp.Combine("events"));

    /// <summary>One JSON-lines file of events (id, event time in seconds, a sequence number), older files first.</summary>
    private void WriteEvents(string name, params (string Id, long Seconds, long N)[] events) =>
        WriteJson("events", name, [.. events.Select(e => $$"""{"id":"{{e.Id}}","t":{{e.Seconds}},"n":{{e.N}}}""")]);

    private int written;

    private void WriteJson(string folder, string name, params string[] lines)
    {
        Directory.CreateDirectory(temp.Combine(folder));
        var path = temp.Combine(folder, $"{name}.json");
        var hidden = temp.Combine(folder, $".{name}.tmp");
        File.WriteAllText(hidden, string.Join('\n', lines) + "\n");
        File.Move(hidden, path);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-1000 + written++)); // listing order = writing order
    }
}
