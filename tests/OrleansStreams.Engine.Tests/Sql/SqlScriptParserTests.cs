using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Sql;

public class SqlScriptParserTests
{
    private const string Pipeline = """
        -- Bronze: raw Kafka exports; the ; in this comment does not end a statement
        SET spark.sql.session.timeZone = UTC;

        /* Multi-line comment;
           still a comment */
        CREATE OR REFRESH STREAMING TABLE bronze
        PARTITIONED BY (topic, year_month)
        AS SELECT *,
                  CAST(timestamp / 1000 AS TIMESTAMP) AS ts,
                  date_format(CAST(timestamp / 1000 AS TIMESTAMP), 'yyyy-MM') AS year_month
        FROM STREAM read_files('/data/kafka-raw', format => 'json',
                               schema => 'key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG');

        CREATE OR REFRESH STREAMING TABLE books_silver AS
        SELECT v.book_id, v.title, 'a;b' AS odd -- a string with a semicolon
        FROM STREAM(bronze) v
        WHERE topic = "books";
        ;
        SELECT author, count(book_id) AS total_books FROM books_silver GROUP BY author
        -- trailing comment, no final semicolon
        """;

    [Fact]
    public void Pipeline_file_splits_into_statements_with_their_start_lines()
    {
        var statements = SqlParser.ParseScript(Pipeline, "pipeline.sql");

        Assert.Equal([typeof(SetStatement), typeof(CreateTableStatement), typeof(CreateTableStatement), typeof(QueryStatement)], statements.Select(s => s.GetType()));
        Assert.Equal([2, 6, 14, 19], statements.Select(s => s.Line));
        Assert.Equal(new SetStatement("spark.sql.session.timeZone", "UTC"), statements[0]);
        Assert.StartsWith("CREATE OR REFRESH STREAMING TABLE books_silver AS", statements[2].Text, StringComparison.Ordinal);
        Assert.EndsWith("WHERE topic = \"books\"", statements[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_bronze_table_is_parsed_completely()
    {
        var bronze = Assert.IsType<CreateTableStatement>(SqlParser.ParseScript(Pipeline)[1]);
        var ts = new CastExpression(
            new BinaryExpression(BinaryOperator.Divide, new ColumnRef("timestamp"), new Literal(1000, IntegerType.Instance)),
            TimestampType.Instance);
        Assert.Equal(
            new CreateTableStatement(
                new QualifiedName("bronze"),
                new SelectQuery(
                    EquatableList.Of<Expression>(
                        new Star(),
                        new Alias(ts, "ts"),
                        new Alias(new FunctionCall("date_format", ts, new Literal("yyyy-MM", StringType.Instance)), "year_month")),
                    new ReadFilesRelation(
                        "/data/kafka-raw",
                        EquatableList.Of(
                            new SqlOption("format", "json"),
                            new SqlOption("schema", "key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG")),
                        Streaming: true)),
                Streaming: true,
                OrRefresh: true,
                PartitionColumns: EquatableList.Of("topic", "year_month")),
            bronze);
    }

    [Fact]
    public void Statements_compare_equal_whether_parsed_alone_or_from_a_script()
    {
        var fromScript = SqlParser.ParseScript(Pipeline)[3];
        var alone = SqlParser.ParseStatement("SELECT author, count(book_id) AS total_books FROM books_silver GROUP BY author");
        Assert.Equal(alone, fromScript);
        Assert.NotEqual(alone.Line, fromScript.Line);
    }

    [Fact]
    public void Semicolons_in_escaped_strings_and_quoted_names_do_not_split()
    {
        var statements = SqlParser.ParseScript("SELECT 'it\\'s; fine' AS `a;b`; SELECT \"x;\" FROM t");
        Assert.Equal(2, statements.Count);
        var first = Assert.IsType<SelectQuery>(Assert.IsType<QueryStatement>(statements[0]).Query);
        Assert.Equal(new Alias(new Literal("it's; fine", StringType.Instance), "a;b"), first.Projections[0]);
        Assert.Equal(1, statements[1].Line);
        Assert.Equal("SELECT \"x;\" FROM t", statements[1].Text);
    }

    [Fact]
    public void Empty_and_comment_only_scripts_have_no_statements()
    {
        Assert.Empty(SqlParser.ParseScript(""));
        Assert.Empty(SqlParser.ParseScript(" ;; -- nothing\n/* still; nothing */ ;"));
    }

    [Fact]
    public void Errors_in_a_script_report_script_positions_and_the_file()
    {
        var script = "SELECT 1;\n\nSELECT a\n  FROM t\n  WHERE a = 1 GRUP BY a;\nSELECT 2";
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseScript(script, "pipeline.sql"));
        Assert.Equal((5, 15), (error.Line, error.Column));
        Assert.Equal("pipeline.sql", error.SourceName);
        Assert.StartsWith("pipeline.sql:5:15: [PARSE_SYNTAX_ERROR] Syntax error at or near 'GRUP'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_errors_in_a_later_statement_report_script_positions()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseScript("SELECT 1;\n-- note\n  SELECT 'open", "p.sql"));
        Assert.Equal((3, 10), (error.Line, error.Column));
        Assert.StartsWith("p.sql:3:10: ", error.Message, StringComparison.Ordinal);
    }
}
