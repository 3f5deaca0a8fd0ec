using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Sql;

public class SqlQueryParserTests
{
    private static SqlQuery Query(string sql) => Assert.IsType<QueryStatement>(SqlParser.ParseStatement(sql)).Query;

    private static SelectQuery Select(string sql) => Assert.IsType<SelectQuery>(Query(sql));

    private static ColumnRef Col(params string[] parts) => new(parts);

    private static Literal Int(int value) => new(value, IntegerType.Instance);

    private static Literal Str(string value) => new(value, StringType.Instance);

    private static EquatableList<Expression> Items(params Expression[] items) => EquatableList.Of(items);

    private static TableRelation Table(string name, string? alias = null) => new(new QualifiedName(name), alias);

    [Fact]
    public void Seed_aggregation_query()
    {
        var query = Select("SELECT author, count(book_id) AS total_books FROM books_streaming_tmp_vw GROUP BY author");
        Assert.Equal(
            new SelectQuery(
                Items(Col("author"), new Alias(new FunctionCall("count", Col("book_id")), "total_books")),
                Table("books_streaming_tmp_vw"),
                GroupBy: Items(Col("author"))),
            query);
    }

    [Fact]
    public void Seed_star_query()
    {
        Assert.Equal(new SelectQuery(Items(new Star()), Table("books_streaming_tmp_vw")), Select("SELECT * FROM books_streaming_tmp_vw"));
    }

    [Fact]
    public void Keywords_are_case_insensitive()
    {
        Assert.Equal(Select("SELECT a FROM t WHERE a > 1"), Select("select a from t where a > 1"));
    }

    [Fact]
    public void Select_list_forms()
    {
        var query = Select("SELECT DISTINCT t.*, *, a AS x, b y, `c d`, c + 1 FROM t");
        Assert.True(query.Distinct);
        Assert.Equal(
            Items(new Star("t"), new Star(), new Alias(Col("a"), "x"), new Alias(Col("b"), "y"), Col("c d"), new BinaryExpression(BinaryOperator.Add, Col("c"), Int(1))),
            query.Projections);
    }

    [Fact]
    public void Select_without_from()
    {
        Assert.Equal(new SelectQuery(Items(new BinaryExpression(BinaryOperator.Add, Int(1), Int(1)))), Select("SELECT 1+1"));
    }

    [Fact]
    public void All_clauses()
    {
        var query = Select("SELECT a, sum(b) AS s FROM t WHERE c IS NOT NULL GROUP BY a, d HAVING sum(b) > 10 ORDER BY s DESC, a ASC NULLS LAST, d NULLS FIRST, e DESC NULLS FIRST LIMIT 5");
        Assert.Equal(new IsNullExpression(Col("c"), Negated: true), query.Where);
        Assert.Equal(Items(Col("a"), Col("d")), query.GroupBy);
        Assert.Equal(new BinaryExpression(BinaryOperator.GreaterThan, new FunctionCall("sum", Col("b")), Int(10)), query.Having);
        Assert.Equal(
            EquatableList.Of(
                new SortItem(Col("s"), Descending: true, NullsFirst: false),
                new SortItem(Col("a"), Descending: false, NullsFirst: false),
                new SortItem(Col("d"), Descending: false, NullsFirst: true),
                new SortItem(Col("e"), Descending: true, NullsFirst: true)),
            query.OrderBy);
        Assert.Equal(5, query.Limit);
    }

    [Fact]
    public void Table_names_and_aliases()
    {
        Assert.Equal(new TableRelation(new QualifiedName("db", "a"), "x"), Select("SELECT * FROM db.a AS x").From);
        Assert.Equal(new TableRelation(new QualifiedName("db", "a"), "x"), Select("SELECT * FROM `db`.a x").From);
        Assert.Equal(new PathRelation("delta", "/path/to/table"), Select("SELECT * FROM delta.`/path/to/table`").From);
        Assert.Equal(new PathRelation("parquet", "abfss://c@acct.dfs.core.windows.net/t", "p"), Select("SELECT * FROM parquet.`abfss://c@acct.dfs.core.windows.net/t` p").From);
    }

    [Fact]
    public void Subquery_relations()
    {
        var from = Assert.IsType<SubqueryRelation>(Select("SELECT s.a FROM (SELECT a FROM t WHERE a > 0) AS s").From);
        Assert.Equal("s", from.Alias);
        Assert.Equal(new SelectQuery(Items(Col("a")), Table("t"), new BinaryExpression(BinaryOperator.GreaterThan, Col("a"), Int(0))), from.Query);
        Assert.Equal("q", Assert.IsType<SubqueryRelation>(Select("SELECT * FROM (SELECT 1) q").From).Alias);
    }

    [Fact]
    public void Stream_reads()
    {
        var streamed = new TableRelation(new QualifiedName("bronze"), Streaming: true);
        Assert.Equal(streamed, Select("SELECT * FROM STREAM(bronze)").From);
        Assert.Equal(streamed, Select("SELECT * FROM STREAM bronze").From);
        Assert.Equal(streamed with { Alias = "b" }, Select("SELECT * FROM STREAM(bronze) AS b").From);
        Assert.Equal(streamed with { Alias = "b" }, Select("SELECT * FROM stream bronze b").From);
        Assert.Equal(new TableRelation(new QualifiedName("stream")), Select("SELECT * FROM stream").From);
        Assert.Equal(new PathRelation("delta", "/t", Streaming: true), Select("SELECT * FROM STREAM delta.`/t`").From);
    }

    [Fact]
    public void Read_files_with_named_options()
    {
        var relation = Assert.IsType<ReadFilesRelation>(Select(
            "SELECT * FROM read_files('/data/in', format => 'json', schema => 'key BINARY, value BINARY', " +
            "cloudFiles.maxFilesPerTrigger => 10, `cloudFiles.includeExistingFiles` => true, multiLine => FALSE, x => -1.5) AS r").From);
        Assert.Equal(
            new ReadFilesRelation(
                "/data/in",
                EquatableList.Of(
                    new SqlOption("format", "json"),
                    new SqlOption("schema", "key BINARY, value BINARY"),
                    new SqlOption("cloudFiles.maxFilesPerTrigger", "10"),
                    new SqlOption("cloudFiles.includeExistingFiles", "true"),
                    new SqlOption("multiLine", "false"),
                    new SqlOption("x", "-1.5")),
                "r"),
            relation);
        Assert.Equal("json", relation.Format);
        Assert.Equal("key BINARY, value BINARY", relation.Schema);
        Assert.Equal("10", relation.Option("CLOUDFILES.MAXFILESPERTRIGGER"));
    }

    [Fact]
    public void Streaming_read_files()
    {
        var expected = new ReadFilesRelation("/in", EquatableList.Of(new SqlOption("format", "csv")), Streaming: true);
        Assert.Equal(expected, Select("SELECT * FROM STREAM read_files('/in', format => 'csv')").From);
        Assert.Equal(expected, Select("SELECT * FROM STREAM(read_files('/in', format => 'csv'))").From);
        Assert.Equal(new ReadFilesRelation("/in", EquatableList<SqlOption>.Empty), Select("SELECT * FROM READ_FILES('/in')").From);
    }

    [Fact]
    public void Time_travel()
    {
        Assert.Equal(new TableRelation(new QualifiedName("t"), TimeTravel: new TimeTravel(3, null)), Select("SELECT * FROM t VERSION AS OF 3").From);
        Assert.Equal(new TableRelation(new QualifiedName("t"), "x", TimeTravel: new TimeTravel(null, "2024-01-01")), Select("SELECT * FROM t TIMESTAMP AS OF '2024-01-01' AS x").From);
        Assert.Equal(new TableRelation(new QualifiedName("t"), TimeTravel: new TimeTravel(12, null)), Select("SELECT * FROM t@v12").From);
        Assert.Equal(new PathRelation("delta", "/t", TimeTravel: new TimeTravel(0, null)), Select("SELECT * FROM delta.`/t` VERSION AS OF 0").From);
        // Without AS OF, "timestamp" is an ordinary alias.
        Assert.Equal(Table("t", "timestamp"), Select("SELECT * FROM t timestamp").From);
    }

    [Theory]
    [InlineData("JOIN", JoinType.Inner)]
    [InlineData("INNER JOIN", JoinType.Inner)]
    [InlineData("LEFT JOIN", JoinType.LeftOuter)]
    [InlineData("LEFT OUTER JOIN", JoinType.LeftOuter)]
    [InlineData("RIGHT JOIN", JoinType.RightOuter)]
    [InlineData("right outer join", JoinType.RightOuter)]
    [InlineData("FULL JOIN", JoinType.FullOuter)]
    [InlineData("FULL OUTER JOIN", JoinType.FullOuter)]
    [InlineData("LEFT SEMI JOIN", JoinType.LeftSemi)]
    [InlineData("LEFT ANTI JOIN", JoinType.LeftAnti)]
    public void Joins_with_on(string join, JoinType type)
    {
        var condition = new BinaryExpression(BinaryOperator.Equal, Col("a", "id"), Col("b", "id"));
        Assert.Equal(new JoinRelation(Table("x", "a"), Table("y", "b"), type, condition), Select($"SELECT * FROM x a {join} y b ON a.id = b.id").From);
    }

    [Fact]
    public void Joins_with_using_cross_and_commas_chain_left_to_right()
    {
        var from = Select("SELECT * FROM a JOIN b USING (id, day) CROSS JOIN c, d").From;
        Assert.Equal(
            new JoinRelation(
                new JoinRelation(new JoinRelation(Table("a"), Table("b"), JoinType.Inner, UsingColumns: EquatableList.Of("id", "day")), Table("c"), JoinType.Cross),
                Table("d"),
                JoinType.Cross),
            from);
    }

    [Fact]
    public void Union_and_parenthesised_queries()
    {
        var union = Assert.IsType<UnionQuery>(Query("SELECT a FROM x UNION ALL (SELECT a FROM y) UNION SELECT a FROM z ORDER BY a LIMIT 3"));
        Assert.False(union.All);
        Assert.Equal(3, union.Limit);
        Assert.Equal(EquatableList.Of(new SortItem(Col("a"))), union.OrderBy);
        var inner = Assert.IsType<UnionQuery>(union.Left);
        Assert.True(inner.All);
        Assert.Equal(new SelectQuery(Items(Col("a")), Table("y")), inner.Right);
        Assert.Equal(Select("SELECT 1"), Query("((SELECT 1))"));
    }

    [Fact]
    public void Order_by_on_a_query_that_already_has_one_wraps_it()
    {
        var query = Select("(SELECT a FROM t LIMIT 10) ORDER BY a");
        var inner = Assert.IsType<SubqueryRelation>(query.From);
        Assert.Equal(10, Assert.IsType<SelectQuery>(inner.Query).Limit);
        Assert.Equal(Items(new Star()), query.Projections);
        Assert.Equal(EquatableList.Of(new SortItem(Col("a"))), query.OrderBy);
    }

    [Fact]
    public void With_common_table_expressions()
    {
        var query = Assert.IsType<WithQuery>(Query("WITH a AS (SELECT 1 AS one), b AS (SELECT * FROM a) SELECT one FROM b"));
        Assert.Equal(["a", "b"], query.Definitions.Select(d => d.Name));
        Assert.Equal(new SelectQuery(Items(new Alias(Int(1), "one"))), query.Definitions[0].Query);
        Assert.Equal(new SelectQuery(Items(Col("one")), Table("b")), query.Body);
    }

    [Fact]
    public void Where_with_typed_literals_and_strings()
    {
        var where = Select("SELECT * FROM t WHERE d >= DATE '2024-01-01' AND name = \"x\"").Where;
        Assert.Equal(
            new BinaryExpression(
                BinaryOperator.And,
                new BinaryExpression(BinaryOperator.GreaterThanOrEqual, Col("d"), new Literal(19723, DateType.Instance)),
                new BinaryExpression(BinaryOperator.Equal, Col("name"), Str("x"))),
            where);
    }
}
