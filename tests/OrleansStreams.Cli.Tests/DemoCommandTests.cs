using OrleansStreams.Bookstore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Cli.Tests;

/// <summary>The demo as a newcomer runs it, and the table commands over the warehouse it leaves.</summary>
public sealed class DemoCommandTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    [Fact]
    public void The_demo_runs_every_stage_with_live_progress_and_prints_the_tables()
    {
        Assert.True(demo.Demo.ExitCode == 0, demo.Demo.ToString());
        var output = demo.Demo.Output;
        foreach (var stage in new[] { "1. bronze", "2. books", "3. books → author_counts", "4. bronze again", "author_counts", "bronze: messages per topic and month" })
        {
            Assert.Contains(stage, output, StringComparison.Ordinal);
        }

        Assert.Matches(@"bronze\s+batch 0\s+1,062 input rows", output); // drop 0: 12 books, 50 customers, 1000 orders
        Assert.Matches(@"author_counts\s+batch \d+\s+\d+ input rows\s+[\d,]+ rows/s", output);
        Assert.Contains("drop 2:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", demo.Demo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_over_the_demo_warehouse_sees_every_message_and_bookAsync()
    {
        var messages = Directory.GetFiles(Path.Combine(demo.Folder, "bookstore", BookstoreFiles.KafkaRaw), "*.json").Sum(f => File.ReadLines(f).Count());
        var generator = new BookstoreGenerator(new BookstoreOptions());
        var books = Enumerable.Range(0, 3).SelectMany(d => generator.Drop(d).Books).ToList();

        var bronze = await demo.Cli.RunAsync("sql", "SELECT count(*) AS n FROM bronze; SELECT count(*) AS d FROM (SELECT DISTINCT topic, partition, offset FROM bronze)", "--format", "json");
        var counts = await demo.Cli.RunAsync("sql", "SELECT author, total_books FROM author_counts ORDER BY author", "--format", "json");

        Assert.True(bronze.ExitCode == 0, bronze.ToString());
        Assert.Equal(messages, (long)bronze.JsonRows()[0]["n"]!);
        Assert.Equal(messages, (long)bronze.JsonRows()[1]["d"]!);
        var expected = books.GroupBy(b => b.Author).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}");
        Assert.Equal(expected, counts.JsonRows().Select(r => $"{r["author"]}={r["total_books"]}"));
    }

    [Fact]
    public async Task Csv_and_table_formats_print_the_same_rowsAsync()
    {
        var csv = await demo.Cli.RunAsync("sql", "SELECT book_id, title, price FROM books ORDER BY book_id LIMIT 3", "--format", "csv");
        var table = await demo.Cli.RunAsync("sql", "SELECT book_id, title, price FROM books ORDER BY book_id LIMIT 3");
        var book = new BookstoreGenerator(new BookstoreOptions()).Book(1);

        Assert.True(csv.ExitCode == 0, csv.ToString());
        var lines = csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["book_id,title,price", $"B0001,{book.Title},{book.Price.ToString(System.Globalization.CultureInfo.InvariantCulture)}"], lines[..2]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(book.Title, table.Output, StringComparison.Ordinal);
        Assert.Contains("3 rows", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_describe_and_history_report_the_demo_tablesAsync()
    {
        var tables = await demo.Cli.RunAsync("tables");
        var describe = await demo.Cli.RunAsync("describe", "bronze");
        var history = await demo.Cli.RunAsync("history", "author_counts");

        Assert.True(tables.ExitCode == 0, tables.ToString());
        Assert.Contains("author_counts", tables.Output, StringComparison.Ordinal);
        Assert.Contains("3 tables", tables.Output, StringComparison.Ordinal);
        Assert.True(describe.ExitCode == 0, describe.ToString());
        Assert.Matches(@"partition columns\s+topic, year_month", describe.Output);
        Assert.Matches(@"year_month\s*│\s*string", describe.Output);
        var messages = Directory.GetFiles(Path.Combine(demo.Folder, "bookstore", BookstoreFiles.KafkaRaw), "*.json").Sum(f => File.ReadLines(f).Count());
        Assert.Matches($@"rows\s+{messages}", describe.Output);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("STREAMING UPDATE", history.Output, StringComparison.Ordinal);
        Assert.Contains("outputMode=Complete", history.Output, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE", history.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optimize_and_describe_detail_print_their_rows_and_keep_every_messageAsync()
    {
        var messages = Directory.GetFiles(Path.Combine(demo.Folder, "bookstore", BookstoreFiles.KafkaRaw), "*.json").Sum(f => File.ReadLines(f).Count());

        var json = await demo.Cli.RunAsync("sql", "OPTIMIZE bronze; DESCRIBE DETAIL bronze; SELECT count(*) AS n FROM bronze", "--format", "json");
        var table = await demo.Cli.RunAsync("sql", "DESCRIBE DETAIL bronze");

        Assert.True(json.ExitCode == 0, json.ToString());
        var rows = json.JsonRows();
        var metrics = rows[0]["metrics"]!;
        Assert.True((long)metrics["numFilesRemoved"]! > (long)metrics["numFilesAdded"]!, json.Output); // the demo's batches leave several files per partition
        Assert.Equal("delta", (string?)rows[1]["format"]);
        Assert.Equal(["topic", "year_month"], rows[1]["partitionColumns"]!.AsArray().Select(c => (string?)c));
        Assert.Equal(messages, (long)rows[2]["n"]!);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("1 row", table.Output, StringComparison.Ordinal); // a wide row: the console shortens the headers
    }

    [Fact]
    public async Task An_unknown_table_is_one_line_naming_the_tables_thereAsync()
    {
        var describe = await demo.Cli.RunAsync("describe", "bronz");
        var sql = await demo.Cli.RunAsync("sql", "SELECT * FROM bronz");

        Assert.Equal(1, describe.ExitCode);
        Assert.Equal("error: Table or view not found: bronz (tables in warehouse: author_counts, books, bronze)", describe.Error.Trim());
        Assert.Equal(1, sql.ExitCode);
        Assert.Single(sql.Error.Trim().Split('\n'));
        Assert.Contains("`bronz` cannot be found", sql.Error, StringComparison.Ordinal);
    }
}
