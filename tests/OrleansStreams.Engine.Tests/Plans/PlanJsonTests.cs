using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Engine.Tests.Plans;

public class PlanJsonTests
{
    private static LogicalPlan Sql(string sql) => SqlPlanner.Plan(((QueryStatement)SqlParser.ParseStatement(sql)).Query);

    public static TheoryData<string> Queries() =>
    [
        "SELECT author, count(book_id) AS total_books FROM books GROUP BY author HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 10",
        "SELECT DISTINCT b.title FROM books b LEFT JOIN orders o USING (book_id) WHERE o.quantity BETWEEN 1 AND 3 OR b.price IS NULL",
        "SELECT * FROM STREAM read_files('/in', format => 'json', schema => 'a INT, b STRUCT<c: STRING>', cloudFiles.maxFilesPerTrigger => '2')",
        "SELECT window(ts, '10 minutes'), count(*) FROM STREAM(events) GROUP BY window(ts, '10 minutes')",
        "SELECT a FROM t VERSION AS OF 3 UNION ALL SELECT a FROM delta.`/x` TIMESTAMP AS OF '2024-01-01'",
        "WITH x AS (SELECT CASE WHEN a LIKE 'x%' THEN CAST(a AS INT) END AS v FROM t) SELECT v FROM x",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void A_plan_survives_a_round_trip_through_json(string sql)
    {
        var plan = Sql(sql);

        Assert.Equal(plan, PlanJson.Deserialize(PlanJson.Serialize(plan)));
    }

    [Fact]
    public void The_seed_bronze_transformation_round_trips_with_its_schema_and_dataframe_nodes()
    {
        var session = new QuerySession(NoTables.Instance);
        var schema = DdlParser.ParseSchema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG");
        var source = new DataFrame(new DataSourceRelation("cloudFiles", "/data/kafka-raw", new EquatableDictionary([KeyValuePair.Create("cloudFiles.format", "json")]), schema, true), session);
        var bronze = source
            .WithColumn("timestamp", (Col("timestamp") / 1000).Cast("timestamp"))
            .WithColumn("year_month", DateFormat(Col("timestamp"), "yyyy-MM"))
            .WithWatermark("timestamp", "10 minutes")
            .DropDuplicates("topic", "offset")
            .WithColumnRenamed("value", "payload")
            .Drop("key");

        Assert.Equal(bronze.Plan, PlanJson.Deserialize(PlanJson.Serialize(bronze.Plan)));
    }
}
