using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Sql;

namespace OrleansStreams.Engine.Tests.Sql;

public class SqlStatementParserTests
{
    private static readonly SqlQuery SelectAllFromT =
        new SelectQuery(EquatableList.Of<Expression>(new Star()), new TableRelation(new QualifiedName("t")));

    [Fact]
    public void Query_statement_allows_a_trailing_semicolon()
    {
        Assert.Equal(new QueryStatement(SelectAllFromT), SqlParser.ParseStatement("SELECT * FROM t;"));
        Assert.Equal("SELECT * FROM t", SqlParser.ParseStatement("  SELECT * FROM t ;  ").Text);
    }

    [Theory]
    [InlineData("CREATE TEMP VIEW v AS SELECT * FROM t", false, true, false)]
    [InlineData("CREATE OR REPLACE TEMPORARY VIEW v AS SELECT * FROM t", true, true, false)]
    [InlineData("create or replace global temp view v as select * from t", true, true, true)]
    [InlineData("CREATE VIEW v AS SELECT * FROM t", false, false, false)]
    public void Create_view(string sql, bool orReplace, bool temporary, bool global)
    {
        Assert.Equal(new CreateViewStatement(new QualifiedName("v"), SelectAllFromT, orReplace, temporary, global), SqlParser.ParseStatement(sql));
    }

    [Fact]
    public void Create_or_refresh_streaming_table_with_all_clauses()
    {
        var statement = SqlParser.ParseStatement(
            "CREATE OR REFRESH STREAMING TABLE db.silver (id BIGINT NOT NULL, tags ARRAY<STRING> COMMENT 'x, y', CONSTRAINT ok EXPECT (id > 0)) " +
            "PARTITIONED BY (topic, year_month) COMMENT 'Cleaned events' TBLPROPERTIES ('quality' = 'silver', delta.appendOnly = true, 'n' 3) " +
            "AS SELECT * FROM t");
        Assert.Equal(
            new CreateTableStatement(
                new QualifiedName("db", "silver"),
                SelectAllFromT,
                Streaming: true,
                OrRefresh: true,
                ColumnsDdl: "id BIGINT NOT NULL, tags ARRAY<STRING> COMMENT 'x, y', CONSTRAINT ok EXPECT (id > 0)",
                PartitionColumns: EquatableList.Of("topic", "year_month"),
                Comment: "Cleaned events",
                Properties: EquatableList.Of(new SqlOption("quality", "silver"), new SqlOption("delta.appendOnly", "true"), new SqlOption("n", "3"))),
            statement);
    }

    [Theory]
    [InlineData("CREATE STREAMING TABLE s AS SELECT * FROM t", true, false, false)]
    [InlineData("CREATE OR REFRESH STREAMING LIVE TABLE s AS SELECT * FROM t", true, true, false)]
    [InlineData("CREATE OR REFRESH TABLE s AS SELECT * FROM t", false, true, false)]
    [InlineData("CREATE OR REPLACE TABLE s AS SELECT * FROM t", false, false, true)]
    public void Create_table_variants(string sql, bool streaming, bool orRefresh, bool orReplace)
    {
        Assert.Equal(new CreateTableStatement(new QualifiedName("s"), SelectAllFromT, streaming, orRefresh, orReplace), SqlParser.ParseStatement(sql));
    }

    [Fact]
    public void Create_table_with_columns_format_and_location_but_no_query()
    {
        Assert.Equal(
            new CreateTableStatement(new QualifiedName("t"), null, IfNotExists: true, ColumnsDdl: "a INT, b STRING", Provider: "DELTA", Location: "/data/t"),
            SqlParser.ParseStatement("CREATE TABLE IF NOT EXISTS t (a INT, b STRING) USING DELTA LOCATION '/data/t'"));
    }

    [Theory]
    [InlineData("DROP TABLE t", false, false)]
    [InlineData("DROP TABLE IF EXISTS t", true, false)]
    [InlineData("drop view if exists t", true, true)]
    public void Drop(string sql, bool ifExists, bool isView)
    {
        Assert.Equal(new DropTableStatement(new QualifiedName("t"), ifExists, isView), SqlParser.ParseStatement(sql));
    }

    [Theory]
    [InlineData("DESCRIBE t", DescribeKind.Table)]
    [InlineData("DESC TABLE t", DescribeKind.Table)]
    [InlineData("DESCRIBE HISTORY t", DescribeKind.History)]
    [InlineData("describe detail t", DescribeKind.Detail)]
    public void Describe(string sql, DescribeKind kind)
    {
        Assert.Equal(new DescribeStatement(new QualifiedName("t"), kind), SqlParser.ParseStatement(sql));
    }

    [Fact]
    public void Describe_of_a_table_named_history_and_of_a_path()
    {
        Assert.Equal(new DescribeStatement(new QualifiedName("history")), SqlParser.ParseStatement("DESCRIBE history"));
        var path = Assert.IsType<DescribeStatement>(SqlParser.ParseStatement("DESCRIBE HISTORY delta.`/data/t`"));
        Assert.True(path.Name.TryGetPath(out var format, out var location));
        Assert.Equal(("delta", "/data/t"), (format, location));
    }

    [Fact]
    public void Optimize_with_and_without_a_partition_predicate()
    {
        Assert.Equal(new OptimizeStatement(new QualifiedName("events")), SqlParser.ParseStatement("OPTIMIZE events"));
        var filtered = Assert.IsType<OptimizeStatement>(SqlParser.ParseStatement("optimize db.events where date >= '2024-01-01'"));
        Assert.Equal(new QualifiedName("db", "events"), filtered.Table);
        Assert.Equal(SqlParser.ParseExpression("date >= '2024-01-01'"), filtered.Where);
        var path = Assert.IsType<OptimizeStatement>(SqlParser.ParseStatement("OPTIMIZE '/data/events'"));
        Assert.Equal(new QualifiedName("delta", "/data/events"), path.Table);
    }

    [Fact]
    public void Optimize_zorder_is_refused_by_name()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("OPTIMIZE events ZORDER BY (id)"));
        Assert.Contains("ZORDER", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VACUUM events", null, false)]
    [InlineData("VACUUM events RETAIN 168 HOURS", 168.0, false)]
    [InlineData("vacuum events retain 0.5 hours dry run", 0.5, true)]
    [InlineData("VACUUM events DRY RUN", null, true)]
    public void Vacuum(string sql, double? hours, bool dryRun)
    {
        Assert.Equal(new VacuumStatement(new QualifiedName("events"), hours, dryRun), SqlParser.ParseStatement(sql));
    }

    [Fact]
    public void A_table_name_or_path_for_the_sdk()
    {
        Assert.Equal(new QualifiedName("db", "events"), SqlParser.ParseTableName("db.events"));
        Assert.Equal(new QualifiedName("delta", "/data/events"), SqlParser.ParseTableName("delta.`/data/events`"));
        Assert.Equal(new QualifiedName("delta", "/data/events"), SqlParser.ParseTableName("/data/events"));
    }

    [Fact]
    public void Show_tables()
    {
        Assert.Equal(new ShowTablesStatement(), SqlParser.ParseStatement("SHOW TABLES"));
        Assert.Equal(new ShowTablesStatement("db", "b*"), SqlParser.ParseStatement("show tables in db like 'b*'"));
    }

    [Theory]
    [InlineData("SET spark.sql.session.timeZone = America/New_York", "spark.sql.session.timeZone", "America/New_York")]
    [InlineData("set spark.sql.shuffle.partitions=4;", "spark.sql.shuffle.partitions", "4")]
    [InlineData("SET a.b = x = y", "a.b", "x = y")]
    [InlineData("SET TIME ZONE 'UTC'", "spark.sql.session.timeZone", "UTC")]
    [InlineData("SET some.key", "some.key", null)]
    [InlineData("SET", null, null)]
    public void Set(string sql, string? key, string? value)
    {
        Assert.Equal(new SetStatement(key, value), SqlParser.ParseStatement(sql));
    }
}
