using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// The seed's first pipeline: readStream.table("books") → temp view → SELECT author, count(book_id) … GROUP BY author
/// → complete mode into author_counts.
/// </summary>
public sealed class AuthorCountsPipelineTests : IDisposable
{

    private readonly TempDirectory temp = new("author-counts");

    public void Dispose() => temp.Dispose();

    private async Task<StreamingQuery> StartAsync(StreamingSession spark, Trigger trigger)
    {
        spark.ReadStream.Table("books").CreateOrReplaceTempView("books_streaming_tmp_vw");
        var counts = spark.Sql("SELECT author, count(book_id) AS total_books FROM books_streaming_tmp_vw GROUP BY author")!;
        return await counts.WriteStream()
            .Trigger(trigger)
            .OutputMode("complete")
            .Option("checkpointLocation", temp.Combine("checkpoints", "author_counts"))
            .ToTableAsync("author_counts");
    }

    private static async Task<List<JsonNode?>> TableRowsAsync(StreamingSession spark, string sql) =>
        RowJson.Render(await spark.CollectAsync(spark.Sql(sql)!)).Cast<JsonNode?>().ToList();

    [Fact]
    public async Task Available_now_counts_every_book_and_a_restart_updates_the_countsAsync()
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        await BooksTable.AddAsync(spark, 0, 10);
        await BooksTable.AddAsync(spark, 10, 7);

        await (await StartAsync(spark, Trigger.AvailableNow)).AwaitTerminationAsync();
        var first = await TableRowsAsync(spark, "SELECT author, total_books FROM author_counts");
        await BooksTable.AddAsync(spark, 17, 5);
        await (await StartAsync(spark, Trigger.AvailableNow)).AwaitTerminationAsync();

        JsonRows.AssertSameRows(await TableRowsAsync(spark, "SELECT author, count(book_id) AS total_books FROM books VERSION AS OF 2 GROUP BY author"), first, "after the first run");
        JsonRows.AssertSameRows(await TableRowsAsync(spark, "SELECT author, count(book_id) AS total_books FROM books GROUP BY author"),
            await TableRowsAsync(spark, "SELECT author, total_books FROM author_counts"), "after the restart");
        JsonRows.AssertSameRows(DuckDbAuthorCounts(), await TableRowsAsync(spark, "SELECT author, total_books FROM author_counts"), "against DuckDB");
        var history = await new DeltaTable(spark.Catalog.OpenStore(await spark.Catalog.ResolveAsync("author_counts"))).Log.GetHistoryAsync();
        Assert.All(history.Where(h => h.Version > 0), h => Assert.Equal("STREAMING UPDATE", h.CommitInfo?.Operation));
    }

    [Fact]
    public async Task Processing_time_picks_up_new_commits_of_the_source_tableAsync()
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        await BooksTable.AddAsync(spark, 0, 4);
        var query = await StartAsync(spark, Trigger.ProcessingTime("200 milliseconds"));

        await WaitAsync(() => query.RecentProgress.Sum(p => p.NumInputRows) >= 4, query);
        await BooksTable.AddAsync(spark, 4, 4);
        await WaitAsync(() => query.RecentProgress.Sum(p => p.NumInputRows) >= 8, query);
        await query.StopAsync();

        JsonRows.AssertSameRows(await TableRowsAsync(spark, "SELECT author, count(book_id) AS total_books FROM books GROUP BY author"),
            await TableRowsAsync(spark, "SELECT author, total_books FROM author_counts"), "after two batches");
        Assert.NotNull(query.LastProgress!.StateRowsTotal);
        Assert.Equal("STREAMING UPDATE", (await new DeltaTable(spark.Catalog.OpenStore(await spark.Catalog.ResolveAsync("author_counts"))).Log.GetHistoryAsync())[0].CommitInfo?.Operation);
    }

    [Fact]
    public async Task Output_mode_rules_are_enforced_with_Sparks_messagesAsync()
    {
        await using var spark = StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse") });
        await BooksTable.AddAsync(spark, 0, 2);
        var books = spark.ReadStream.Table("books");
        var counts = spark.ReadStream.Table("books").GroupBy("author").Count();

        var complete = await Assert.ThrowsAnyAsync<Exception>(() => books.WriteStream().OutputMode("complete").Option("checkpointLocation", temp.Combine("c1")).ToTableAsync("x"));
        var append = await Assert.ThrowsAnyAsync<Exception>(() => counts.WriteStream().OutputMode("append").Option("checkpointLocation", temp.Combine("c2")).ToTableAsync("y"));
        var noCheckpoint = await Assert.ThrowsAsync<ArgumentException>(() => counts.WriteStream().OutputMode("complete").ToTableAsync("z"));

        Assert.Contains("Complete output mode not supported when there are no streaming aggregations", complete.Message, StringComparison.Ordinal);
        Assert.Contains("Append output mode not supported when there are streaming aggregations", append.Message, StringComparison.Ordinal);
        Assert.Contains("checkpointLocation", noCheckpoint.Message, StringComparison.Ordinal);
    }

    /// <summary>DuckDB's own answer from the books table's files (found by its own log replay).</summary>
    private List<JsonNode?> DuckDbAuthorCounts()
    {
        var folder = temp.Combine("warehouse", "books");
        var files = string.Join(", ", DuckDbDelta.LiveFiles(folder).Select(f => $"'{Path.Combine(folder, f)}'"));
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT to_json(r)::VARCHAR FROM (SELECT author, count(book_id) AS total_books FROM read_parquet([{files}]) GROUP BY author) r";
        var rows = new List<JsonNode?>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }

    private static async Task WaitAsync(Func<bool> condition, StreamingQuery query)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.True(query.IsActive, $"the query stopped: {query.Exception}");
            await Task.Delay(50, timeout.Token);
        }
    }
}
