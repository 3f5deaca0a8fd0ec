using OrleansStreams.Engine.Expressions.Analysis;
using static OrleansStreams.Engine.DataFrames.Functions;
using static OrleansStreams.Engine.Tests.Execution.QueryTestKit;

namespace OrleansStreams.Engine.Tests.Execution;

public class BatchQueryTests
{
    [Fact]
    public async Task Select_where_order_by_and_limit_run_over_a_viewAsync()
    {
        var rows = await SqlRowsAsync(Session(), "SELECT title, price * 2 AS doubled FROM books WHERE price > 10 ORDER BY price DESC LIMIT 2");

        Assert.Equal([["The Soul of a New Machine", 50.0], ["House", 28.0]], rows);
    }

    [Fact]
    public async Task Star_expands_to_every_column_in_orderAsync()
    {
        var session = Session();
        var frame = session.Sql("SELECT * FROM books WHERE book_id = 'B02'")!;

        Assert.Equal(["book_id", "title", "author", "category", "price"], frame.Columns);
        Assert.Equal([["B02", "Dune", "Frank Herbert", "Fiction", 11.5]], await RowsAsync(session, frame));
    }

    [Fact]
    public async Task Order_by_puts_nulls_first_ascending_and_last_descendingAsync()
    {
        var session = Session();

        var ascending = await SqlRowsAsync(session, "SELECT book_id FROM books ORDER BY price");
        var descending = await SqlRowsAsync(session, "SELECT book_id FROM books ORDER BY price DESC");

        Assert.Equal(["B05", "B03", "B02", "B04", "B01"], ascending.Select(r => r[0]));
        Assert.Equal(["B01", "B04", "B02", "B03", "B05"], descending.Select(r => r[0]));
    }

    [Fact]
    public async Task Inner_join_on_qualified_columns_matches_keysAsync()
    {
        var rows = await SqlRowsAsync(Session(), "SELECT o.order_id, b.title FROM orders o JOIN books b ON o.book_id = b.book_id ORDER BY o.order_id");

        Assert.Equal([[1L, "Dune"], [2L, "Dune"], [3L, "House"]], rows);
    }

    [Fact]
    public async Task Left_join_keeps_unmatched_rows_with_nullsAsync()
    {
        var rows = await SqlRowsAsync(Session(), "SELECT o.order_id, b.title FROM orders o LEFT JOIN books b ON o.book_id = b.book_id ORDER BY o.order_id");

        Assert.Equal([[1L, "Dune"], [2L, "Dune"], [3L, "House"], [4L, null]], rows);
    }

    [Fact]
    public async Task Right_and_full_joins_add_the_unmatched_right_rowsAsync()
    {
        var session = Session();

        var right = await SqlRowsAsync(session, "SELECT o.order_id, b.book_id FROM orders o RIGHT JOIN books b ON o.book_id = b.book_id ORDER BY b.book_id, o.order_id");
        var full = await SqlRowsAsync(session, "SELECT o.order_id, b.book_id FROM orders o FULL OUTER JOIN books b ON o.book_id = b.book_id");

        Assert.Equal([[null, "B01"], [1L, "B02"], [2L, "B02"], [null, "B03"], [3L, "B04"], [null, "B05"]], right);
        Assert.Equal(7, full.Count);
        Assert.Contains([4L, null], full);
    }

    [Fact]
    public async Task Join_using_outputs_the_key_onceAsync()
    {
        var session = Session();
        var frame = session.Sql("SELECT * FROM orders JOIN books USING (book_id) ORDER BY order_id")!;

        Assert.Equal(["book_id", "order_id", "quantity", "title", "author", "category", "price"], frame.Columns);
        Assert.Equal(["B02", 1L, 2, "Dune", "Frank Herbert", "Fiction", 11.5], (await RowsAsync(session, frame))[0]);
    }

    [Fact]
    public async Task Semi_and_anti_joins_filter_the_left_sideAsync()
    {
        var session = Session();

        var semi = await SqlRowsAsync(session, "SELECT book_id FROM books LEFT SEMI JOIN orders ON books.book_id = orders.book_id ORDER BY book_id");
        var anti = await SqlRowsAsync(session, "SELECT book_id FROM books LEFT ANTI JOIN orders ON books.book_id = orders.book_id ORDER BY book_id");

        Assert.Equal(["B02", "B04"], semi.Select(r => r[0]));
        Assert.Equal(["B01", "B03", "B05"], anti.Select(r => r[0]));
    }

    [Fact]
    public async Task A_join_condition_beyond_equality_filters_the_pairsAsync()
    {
        var rows = await SqlRowsAsync(Session(), "SELECT o.order_id FROM orders o JOIN books b ON o.book_id = b.book_id AND o.quantity > 1 ORDER BY 1");

        Assert.Equal([1L, 3L], rows.Select(r => r[0]));
    }

    [Fact]
    public async Task An_unqualified_column_present_on_both_sides_is_ambiguousAsync()
    {
        var session = Session();

        var error = await Assert.ThrowsAsync<AnalysisException>(() => SqlRowsAsync(session, "SELECT book_id FROM orders o JOIN books b ON o.book_id = b.book_id"));

        Assert.Contains("AMBIGUOUS_REFERENCE", error.Message, StringComparison.Ordinal);
        Assert.Contains("`book_id`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Union_all_appends_rows_and_union_rejects_different_widthsAsync()
    {
        var session = Session();

        var rows = await SqlRowsAsync(session, "SELECT book_id FROM books WHERE price > 20 UNION ALL SELECT book_id FROM orders WHERE quantity = 5");
        var error = Assert.Throws<AnalysisException>(() => session.Sql("SELECT book_id FROM books UNION ALL SELECT book_id, quantity FROM orders")!.Schema);

        Assert.Equal(["B01", "B04"], rows.Select(r => r[0]));
        Assert.Contains("NUM_COLUMNS_MISMATCH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataFrame_with_column_rename_and_drop_follow_Spark_semanticsAsync()
    {
        var session = Session();
        var frame = session.Table("books")
            .WithColumn("price", Col("price") * 2)
            .WithColumn("discounted", Col("price") - 1)
            .WithColumnRenamed("title", "name")
            .Drop("category", "no_such_column")
            .Filter("book_id = 'B02'");

        Assert.Equal(["book_id", "name", "author", "price", "discounted"], frame.Columns);
        Assert.Equal([["B02", "Dune", "Frank Herbert", 23.0, 22.0]], await RowsAsync(session, frame));
    }

    [Fact]
    public async Task Subqueries_and_ctes_are_scoped_by_their_aliasAsync()
    {
        var rows = await SqlRowsAsync(
            Session(),
            "WITH cheap AS (SELECT book_id, price FROM books WHERE price < 12) SELECT c.book_id FROM (SELECT * FROM cheap) c ORDER BY c.price");

        Assert.Equal(["B03", "B02"], rows.Select(r => r[0]));
    }

    [Fact]
    public void A_streaming_view_cannot_be_queried_as_a_batch()
    {
        var session = Session();
        session.CreateOrReplaceTempView("books_streaming_tmp_vw", new OrleansStreams.Engine.Plans.SubqueryAlias("books", new OrleansStreams.Engine.Plans.TableRelation("books", Streaming: true)));

        var error = Assert.Throws<AnalysisException>(() => new OrleansStreams.Engine.Execution.QueryCompiler(session.Context).Compile(session.Sql("SELECT * FROM books_streaming_tmp_vw")!.Plan));

        Assert.Contains("writeStream.start()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_table_is_reported_by_name()
    {
        var error = Assert.Throws<AnalysisException>(() => Session().Sql("SELECT * FROM no_such_table")!.Schema);

        Assert.Contains("TABLE_OR_VIEW_NOT_FOUND", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
    }
}
