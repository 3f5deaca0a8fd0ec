using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Tests.Plans;

public class StreamingPlanValidatorTests
{
    private static readonly LogicalPlan Books = new TableRelation("books", Streaming: true);

    private static Aggregate CountByAuthor(LogicalPlan child) => new(
        EquatableList.Of<Expression>(new ColumnRef("author")),
        EquatableList.Of<Expression>(new ColumnRef("author"), new Alias(new FunctionCall("count", new ColumnRef("book_id")), "total_books")),
        child);

    [Fact]
    public void Complete_mode_needs_an_aggregation()
    {
        var ex = Assert.Throws<StreamingPlanException>(() => StreamingPlanValidator.Validate(Books, OutputMode.Complete));
        Assert.Contains("Complete output mode not supported when there are no streaming aggregations", ex.Message);
    }

    [Theory]
    [InlineData(OutputMode.Complete)]
    [InlineData(OutputMode.Update)]
    public void Aggregation_is_accepted_in_complete_and_update(OutputMode mode) =>
        StreamingPlanValidator.Validate(CountByAuthor(Books), mode);

    [Fact]
    public void Append_is_refused_for_an_aggregation_without_watermark()
    {
        var ex = Assert.Throws<StreamingPlanException>(() => StreamingPlanValidator.Validate(CountByAuthor(Books), OutputMode.Append));
        Assert.Contains("Append output mode not supported when there are streaming aggregations", ex.Message);
    }

    [Fact]
    public void Append_is_accepted_for_a_windowed_aggregation_on_the_watermarked_column()
    {
        var watermarked = new WithWatermark("event_time", "10 minutes", Books);
        var window = new FunctionCall("window", new ColumnRef("event_time"), new Literal("10 minutes", OrleansStreams.Engine.Types.StringType.Instance));
        var plan = new Aggregate(EquatableList.Of<Expression>(window), EquatableList.Of<Expression>(window, new FunctionCall("count", new Star())), watermarked);
        StreamingPlanValidator.Validate(plan, OutputMode.Append);
    }

    [Theory]
    [InlineData(OutputMode.Append)]
    [InlineData(OutputMode.Update)]
    public void A_query_without_aggregation_runs_in_append_and_update(OutputMode mode) =>
        StreamingPlanValidator.Validate(new Filter(new IsNullExpression(new ColumnRef("author"), Negated: true), Books), mode);

    [Fact]
    public void Distinct_aggregates_are_refused_on_streams()
    {
        var plan = new Aggregate(
            EquatableList.Of<Expression>(new ColumnRef("author")),
            EquatableList.Of<Expression>(new FunctionCall("count", EquatableList.Of<Expression>(new ColumnRef("book_id")), Distinct: true)),
            Books);
        var ex = Assert.Throws<StreamingPlanException>(() => StreamingPlanValidator.Validate(plan, OutputMode.Complete));
        Assert.Contains("approx_count_distinct", ex.Message);
    }

    [Fact]
    public void Sorting_a_stream_is_only_allowed_after_an_aggregation_in_complete_mode()
    {
        var order = EquatableList.Of(new SortOrder(new ColumnRef("author")));
        Assert.Throws<StreamingPlanException>(() => StreamingPlanValidator.Validate(new Sort(order, Books), OutputMode.Append));
        StreamingPlanValidator.Validate(new Sort(order, CountByAuthor(Books)), OutputMode.Complete);
    }

    [Fact]
    public void Batch_plans_are_not_checked()
    {
        var batch = new TableRelation("books", Streaming: false);
        StreamingPlanValidator.Validate(CountByAuthor(batch), OutputMode.Append);
    }

    [Fact]
    public void Stream_static_inner_join_is_allowed_but_stream_on_the_right_of_a_left_join_is_not()
    {
        var customers = new TableRelation("customers", Streaming: false);
        var on = new BinaryExpression(BinaryOperator.Equal, new ColumnRef("a"), new ColumnRef("b"));
        StreamingPlanValidator.Validate(new Join(Books, customers, JoinType.Inner, on, EquatableList<string>.Empty), OutputMode.Append);
        Assert.Throws<StreamingPlanException>(() =>
            StreamingPlanValidator.Validate(new Join(customers, Books, JoinType.LeftOuter, on, EquatableList<string>.Empty), OutputMode.Append));
    }

    [Fact]
    public void Plans_with_the_same_shape_are_equal()
    {
        Assert.Equal(CountByAuthor(Books), CountByAuthor(new TableRelation("books", Streaming: true)));
        Assert.NotEqual(CountByAuthor(Books), CountByAuthor(new TableRelation("books", Streaming: false)));
    }
}
