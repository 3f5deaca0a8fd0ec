using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.DataFrames.Functions;
using static OrleansStreams.Engine.Tests.Execution.QueryTestKit;

namespace OrleansStreams.Engine.Tests.DataFrames;

/// <summary>The seed's transformations, written as in PySpark, give the same rows as their SQL form.</summary>
public class SeedPipelineTests
{
    private static readonly StructType KafkaRaw = DdlParser.ParseSchema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG");

    private static QuerySession SessionWithRawData()
    {
        var session = new QuerySession(NoTables.Instance);
        var rows = Enumerable.Range(0, 6).Select(i => new object?[]
        {
            System.Text.Encoding.UTF8.GetBytes($"k{i}"), System.Text.Encoding.UTF8.GetBytes($"{{\"order_id\":{i}}}"),
            i % 2 == 0 ? "orders" : "books", 0L, (long)i, 1_640_995_200_000L + (i * 2_678_400_000L), // 2022-01-01 + i × 31 days, in ms
        }).ToArray();
        session.CreateDataFrame(KafkaRaw, [Expressions.ExprTestKit.Batch(KafkaRaw, rows)], "raw").CreateOrReplaceTempView("raw");
        return session;
    }

    [Fact]
    public async Task Bronze_in_CSharp_equals_bronze_in_SQLAsync()
    {
        var session = SessionWithRawData();
        var csharp = session.Table("raw")
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"));
        var sql = session.Sql(
            "SELECT key, value, topic, partition, offset, CAST(timestamp / 1000 AS TIMESTAMP) AS timestamp, " +
            "date_format(CAST(timestamp / 1000 AS TIMESTAMP), 'yyyy-MM') AS year_month FROM raw")!;

        Assert.Equal(sql.Schema, csharp.Schema);
        Assert.Equal(await RowsAsync(session, sql), await RowsAsync(session, csharp));
        Assert.Equal(["2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"], (await RowsAsync(session, csharp)).Select(r => r[6]));
    }

    [Fact]
    public async Task Author_counts_in_CSharp_equal_the_SQL_viewAsync()
    {
        var session = Session();
        var csharp = session.Table("books").GroupBy("author").Agg(Count(Col("book_id")).Alias("total_books")).OrderBy(Col("author"));
        var sql = session.Sql("SELECT author, count(book_id) AS total_books FROM books GROUP BY author ORDER BY author")!;

        Assert.Equal(await RowsAsync(session, sql), await RowsAsync(session, csharp));
    }
}
