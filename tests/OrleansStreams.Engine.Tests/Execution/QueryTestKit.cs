using Apache.Arrow;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Execution;

/// <summary>A session with small in-memory tables registered as temp views, and row readers for results.</summary>
internal static class QueryTestKit
{
    public static readonly StructType BooksSchema = DdlParser.ParseSchema("book_id STRING, title STRING, author STRING, category STRING, price DOUBLE");

    public static readonly StructType OrdersSchema = DdlParser.ParseSchema("order_id LONG, book_id STRING, quantity INT");

    public static QuerySession Session()
    {
        var session = new QuerySession(NoTables.Instance);
        session.CreateDataFrame(BooksSchema, [Expressions.ExprTestKit.Batch(
            BooksSchema,
            ["B01", "The Soul of a New Machine", "Tracy Kidder", "Computer Science", 25.0],
            ["B02", "Dune", "Frank Herbert", "Fiction", 11.5],
            ["B03", "Children of Dune", "Frank Herbert", "Fiction", 9.0],
            ["B04", "House", "Tracy Kidder", "Nonfiction", 14.0],
            ["B05", "Untitled", null, "Fiction", null])], "books").CreateOrReplaceTempView("books");
        session.CreateDataFrame(OrdersSchema, [Expressions.ExprTestKit.Batch(
            OrdersSchema,
            [1L, "B02", 2],
            [2L, "B02", 1],
            [3L, "B04", 5],
            [4L, "B99", 1])], "orders").CreateOrReplaceTempView("orders");
        return session;
    }

    public static async Task<List<object?[]>> RowsAsync(QuerySession session, DataFrame frame)
    {
        var batches = await session.CollectAsync(frame);
        return Rows(batches);
    }

    public static Task<List<object?[]>> SqlRowsAsync(QuerySession session, string sql) => RowsAsync(session, session.Sql(sql)!);

    public static List<object?[]> Rows(IEnumerable<RecordBatch> batches) =>
        batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(r => Enumerable.Range(0, b.ColumnCount).Select(c => Columns.GetScalar(b.Column(c), r)).ToArray())).ToList();
}
