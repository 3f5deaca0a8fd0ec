using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// A streaming aggregation whose results are arrays: collect_list / collect_set per key in complete mode into a
/// Delta table, on the default embedded path (the query on the silo), read back with SQL and by DuckDB alone.
/// </summary>
public sealed class NestedColumnsPipelineTests : IDisposable
{
    private static readonly StructType Books = DdlParser.ParseSchema("book_id STRING, title STRING, author STRING, category STRING, price DOUBLE");
    private static readonly string[] Authors = ["Tracy Kidder", "Frank Herbert", "Octavia Butler"];
    private static readonly string[] Categories = ["Fiction", "Science", "History"];

    private readonly TempDirectory temp = new("nested-pipeline");

    public void Dispose() => temp.Dispose();

    private static object?[] Book(int i) => [$"B{i:D3}", i % 5 == 4 ? null : $"Book {i}", Authors[(i * i) % 3], Categories[i % 3], 10.0 + i];

    private static async Task AddBooksAsync(StreamingSession spark, int from, int count)
    {
        var entry = await spark.Catalog.ResolveOrCreateAsync("books");
        var table = new DeltaTable(spark.Catalog.OpenStore(entry));
        await table.WriteAsync(Books, [RecordBatches.Of(Books, Enumerable.Range(from, count).Select(Book).ToList())]);
    }

    private async Task RunAsync(StreamingSession spark)
    {
        spark.ReadStream.Table("books").CreateOrReplaceTempView("books_stream");
        var titles = spark.Sql(
            "SELECT author, collect_list(title) AS titles, collect_set(category) AS categories, collect_list(struct(book_id, price)) AS entries, count(*) AS n " +
            "FROM books_stream GROUP BY author")!;
        var query = await titles.WriteStream()
            .Trigger(Trigger.AvailableNow)
            .OutputMode("complete")
            .Option("checkpointLocation", temp.Combine("checkpoints", "author_titles"))
            .ToTableAsync("author_titles");
        await query.AwaitTerminationAsync();
    }

    /// <summary>Per author: sorted titles (collect_list skips NULLs), sorted distinct categories, sorted "id:price" entries, count.</summary>
    private static Dictionary<string, string> Expected(int count) => Enumerable.Range(0, count).Select(Book).GroupBy(b => (string)b[2]!).ToDictionary(
        g => g.Key,
        g => Canonical(g.Select(b => b[1] as string).OfType<string>(), g.Select(b => (string)b[3]!).Distinct(), g.Select(b => $"{b[0]}:{b[4]}"), g.Count()));

    private static string Canonical(IEnumerable<string> titles, IEnumerable<string> categories, IEnumerable<string> entries, long n) =>
        $"{string.Join("|", titles.Order(StringComparer.Ordinal))} / {string.Join("|", categories.Order(StringComparer.Ordinal))} / {string.Join("|", entries.Order(StringComparer.Ordinal))} / {n}";

    private static Dictionary<string, string> FromJson(IEnumerable<JsonNode?> rows) => rows.ToDictionary(
        r => (string)r!["author"]!,
        r => Canonical(
            r!["titles"]!.AsArray().Select(t => (string)t!),
            r["categories"]!.AsArray().Select(c => (string)c!),
            r["entries"]!.AsArray().Select(e => $"{(string)e!["book_id"]!}:{(double)e["price"]!}"),
            long.Parse(r["n"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Collect_list_per_key_in_complete_mode_lands_in_a_Delta_table_read_back_with_SQL_and_DuckDBAsync()
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        await AddBooksAsync(spark, 0, 12);
        await RunAsync(spark);
        var first = FromJson(RowJson.Render(await spark.CollectAsync(spark.Sql("SELECT author, titles, categories, entries, n FROM author_titles")!)));

        await AddBooksAsync(spark, 12, 9);
        await RunAsync(spark);

        Assert.Equal(Expected(12), first);
        var sql = await spark.CollectAsync(spark.Sql("SELECT author, titles, categories, entries, n, size(titles) AS size FROM author_titles")!);
        Assert.Equal(Expected(21), FromJson(RowJson.Render(sql)));
        Assert.All(RowJson.Render(sql), r => Assert.Equal((int)r["size"]!, r["titles"]!.AsArray().Count));
        var schema = (await new DeltaTable(spark.Catalog.OpenStore(await spark.Catalog.ResolveAsync("author_titles"))).GetSnapshotAsync()).Schema;
        Assert.Equal("array<string>", schema.Get("titles").Type.SimpleString);
        Assert.Equal("array<struct<book_id:string,price:double>>", schema.Get("entries").Type.SimpleString);
        Assert.Equal(Expected(21), FromJson(DuckDbDelta.ReadRows(temp.Combine("warehouse", "author_titles"))));
    }
}
