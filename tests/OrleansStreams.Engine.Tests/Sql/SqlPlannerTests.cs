using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.DataFrames;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.DataFrames.Functions;
using PlanFilter = OrleansStreams.Engine.Plans.Filter;
using PlanTable = OrleansStreams.Engine.Plans.TableRelation;

namespace OrleansStreams.Engine.Tests.Sql;

public class SqlPlannerTests
{
    private static readonly QuerySession Session = new(NoTables.Instance);

    private static LogicalPlan PlanOf(string sql) => SqlPlanner.Plan(((QueryStatement)SqlParser.ParseStatement(sql)).Query);

    [Fact]
    public void The_seed_author_count_builds_the_same_plan_in_SQL_and_DataFrame_form()
    {
        var sql = PlanOf("SELECT author, count(book_id) AS total_books FROM books GROUP BY author");
        var frame = Session.Table("books").GroupBy("author").Agg(Count(Col("book_id")).Alias("total_books"));

        Assert.Equal(frame.Plan, sql);
    }

    [Fact]
    public void A_streaming_view_read_builds_the_same_plan_as_readStream_table()
    {
        var sql = PlanOf("SELECT * FROM STREAM(books)");
        var frame = new DataFrame(new SubqueryAlias("books", new PlanTable("books", Streaming: true)), Session).Select("*");

        Assert.Equal(frame.Plan, sql);
        Assert.True(sql.IsStreaming);
    }

    [Fact]
    public void Filters_projections_order_and_limit_match_the_DataFrame_chain()
    {
        var sql = PlanOf("SELECT title, price FROM books WHERE price > 10 ORDER BY price DESC LIMIT 3");
        var frame = Session.Table("books").Filter(Col("price") > 10).Select("title", "price").OrderBy(Col("price").Desc()).Limit(3);

        Assert.Equal(frame.Plan, sql);
    }

    [Fact]
    public void Streaming_read_files_becomes_an_Auto_Loader_source_with_its_options()
    {
        var plan = PlanOf("SELECT * FROM STREAM read_files('/data/kafka-raw', format => 'json', schema => 'key BINARY, value BINARY', maxFilesPerTrigger => '5')");

        var source = Assert.IsType<DataSourceRelation>(((Project)plan).Child);
        Assert.Equal("cloudFiles", source.Format);
        Assert.Equal("json", source.Options.Get("cloudFiles.format"));
        Assert.Equal("5", source.Options.Get("maxFilesPerTrigger"));
        Assert.Equal(DdlParser.ParseSchema("key BINARY, value BINARY"), source.UserSchema);
        Assert.True(source.Streaming);
    }

    [Fact]
    public void Path_tables_carry_time_travel_as_reader_options()
    {
        var plan = PlanOf("SELECT * FROM delta.`/tables/books` VERSION AS OF 3");

        var source = Assert.IsType<DataSourceRelation>(((Project)plan).Child);
        Assert.Equal(("delta", "/tables/books", "3"), (source.Format, source.Path, source.Options.Get("versionAsOf")));
    }

    [Fact]
    public void Having_on_an_aggregate_not_selected_computes_a_hidden_column()
    {
        var plan = PlanOf("SELECT author FROM books GROUP BY author HAVING count(*) > 1");

        var drop = Assert.IsType<DropColumns>(plan);
        var filter = Assert.IsType<PlanFilter>(drop.Child);
        var aggregate = Assert.IsType<Aggregate>(filter.Child);
        Assert.Equal(["__having_0"], drop.Names);
        Assert.Equal(2, aggregate.Aggregates.Count);
    }

    [Fact]
    public void Group_by_ordinal_refers_to_the_select_item()
    {
        var plan = PlanOf("SELECT upper(author) AS a, count(*) FROM books GROUP BY 1");

        var aggregate = Assert.IsType<Aggregate>(plan);
        Assert.Equal(new EquatableList<Expression>([new FunctionCall("upper", new ColumnRef("author"))]), aggregate.Grouping);
    }

    [Fact]
    public void Read_files_without_a_format_is_an_error_naming_the_path()
    {
        var error = Assert.Throws<SqlPlanException>(() => PlanOf("SELECT * FROM read_files('/in')"));

        Assert.Contains("/in", error.Message, StringComparison.Ordinal);
        Assert.Contains("format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Union_without_all_is_distinct()
    {
        var plan = PlanOf("SELECT a FROM x UNION SELECT a FROM y");

        Assert.IsType<Union>(Assert.IsType<Distinct>(plan).Child);
    }
}
