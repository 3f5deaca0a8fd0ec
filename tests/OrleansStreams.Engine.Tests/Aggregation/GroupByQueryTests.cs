using OrleansStreams.Engine.Expressions.Analysis;
using static OrleansStreams.Engine.DataFrames.Functions;
using static OrleansStreams.Engine.Tests.Execution.QueryTestKit;

namespace OrleansStreams.Engine.Tests.Aggregation;

public class GroupByQueryTests
{
    [Fact]
    public async Task The_seed_author_count_counts_books_per_authorAsync()
    {
        var rows = await SqlRowsAsync(Session(), "SELECT author, count(book_id) AS total_books FROM books GROUP BY author ORDER BY author");

        Assert.Equal([[null, 1L], ["Frank Herbert", 2L], ["Tracy Kidder", 2L]], rows);
    }

    [Fact]
    public async Task Every_aggregate_function_with_nullsAsync()
    {
        var rows = await SqlRowsAsync(
            Session(),
            "SELECT category, count(*), count(price), sum(price), avg(price), min(price), max(title), first(author), last(author), " +
            "collect_list(book_id), collect_set(author), count(DISTINCT author), approx_count_distinct(book_id) " +
            "FROM books GROUP BY category ORDER BY category");

        Assert.Equal(["Computer Science", 1L, 1L, 25.0, 25.0, 25.0, "The Soul of a New Machine", "Tracy Kidder", "Tracy Kidder", new object?[] { "B01" }, new object?[] { "Tracy Kidder" }, 1L, 1L], rows[0]);
        Assert.Equal(["Fiction", 3L, 2L, 20.5, 10.25, 9.0, "Untitled", "Frank Herbert", null, new object?[] { "B02", "B03", "B05" }, new object?[] { "Frank Herbert" }, 1L, 3L], rows[1]);
    }

    [Fact]
    public async Task Struct_keys_group_by_all_their_fields_and_come_back_as_structsAsync()
    {
        var session = Session();
        var rows = await SqlRowsAsync(
            session,
            "SELECT named_struct('who', author, 'what', category) AS k, count(*) AS n FROM books GROUP BY named_struct('who', author, 'what', category)");
        var flat = await SqlRowsAsync(session, "SELECT author, category, count(*) AS n FROM books GROUP BY author, category");

        static string Text(object?[] r) => string.Join("|", r.Select(v => v?.ToString() ?? "NULL"));
        Assert.Equal(
            flat.Select(Text).Order(StringComparer.Ordinal),
            rows.Select(r => Text([.. (object?[])r[0]!, r[1]])).Order(StringComparer.Ordinal));
        Assert.True(rows.Count > 2);
    }

    [Fact]
    public async Task Negative_zero_and_every_nan_group_with_zero_and_nan_as_in_SparkAsync()
    {
        var rows = await SqlRowsAsync(
            Session(),
            "SELECT x, count(*) FROM (SELECT CAST(price * 0 AS DOUBLE) * -1 AS x FROM books WHERE price IS NOT NULL UNION ALL SELECT 0.0D AS x) GROUP BY x");

        Assert.Equal([[0.0, 5L]], rows.Select(r => new object?[] { Math.Abs((double)r[0]!), r[1] }).ToList());
    }

    [Fact]
    public async Task Aggregates_without_group_by_return_one_row_even_over_no_rowsAsync()
    {
        var session = Session();

        var all = await SqlRowsAsync(session, "SELECT count(*), sum(quantity), max(order_id) FROM orders");
        var none = await SqlRowsAsync(session, "SELECT count(*), sum(quantity), max(order_id) FROM orders WHERE quantity > 100");

        Assert.Equal([[4L, 9L, 4L]], all);
        Assert.Equal([[0L, null, null]], none);
    }

    [Fact]
    public async Task Expressions_over_keys_and_aggregates_and_having_filterAsync()
    {
        var rows = await SqlRowsAsync(
            Session(),
            "SELECT upper(author) AS who, count(*) + 100 AS n FROM books WHERE author IS NOT NULL GROUP BY author HAVING sum(price) > 20 ORDER BY who");

        Assert.Equal([["FRANK HERBERT", 102L], ["TRACY KIDDER", 102L]], rows);
    }

    [Fact]
    public async Task A_column_that_is_neither_grouped_nor_aggregated_is_an_errorAsync()
    {
        var error = await Assert.ThrowsAsync<AnalysisException>(() => SqlRowsAsync(Session(), "SELECT author, title FROM books GROUP BY author"));

        Assert.Contains("MISSING_AGGREGATION", error.Message, StringComparison.Ordinal);
        Assert.Contains("title", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sum_of_a_string_fails_at_analysis_naming_the_callAsync()
    {
        var error = await Assert.ThrowsAsync<AnalysisException>(() => SqlRowsAsync(Session(), "SELECT sum(title) FROM books"));

        Assert.Contains("sum(title)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distinct_and_dropDuplicates_keep_one_row_per_keyAsync()
    {
        var session = Session();

        var distinct = await SqlRowsAsync(session, "SELECT DISTINCT category FROM books ORDER BY category");
        var deduped = await RowsAsync(session, session.Table("books").DropDuplicates("author").OrderBy(Col("book_id")));

        Assert.Equal([["Computer Science"], ["Fiction"], ["Nonfiction"]], distinct);
        Assert.Equal(["B01", "B02", "B05"], deduped.Select(r => r[0]));
    }

    [Fact]
    public async Task DataFrame_group_by_count_names_the_column_countAsync()
    {
        var session = Session();
        var frame = session.Table("orders").GroupBy("book_id").Count().OrderBy(Col("book_id"));

        Assert.Equal(["book_id", "count"], frame.Columns);
        Assert.Equal([["B02", 2L], ["B04", 1L], ["B99", 1L]], await RowsAsync(session, frame));
    }

    [Fact]
    public async Task Group_by_column_of_a_join_sideAsync()
    {
        var rows = await SqlRowsAsync(Session(), "SELECT b.author, sum(o.quantity) AS sold FROM orders o JOIN books b ON o.book_id = b.book_id GROUP BY b.author ORDER BY sold");

        Assert.Equal([["Frank Herbert", 3L], ["Tracy Kidder", 5L]], rows);
    }
}
