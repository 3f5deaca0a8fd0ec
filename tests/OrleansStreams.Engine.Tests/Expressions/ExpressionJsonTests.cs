using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Serialization;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

public class ExpressionJsonTests
{
    public static TheoryData<Expression> Expressions() => new()
    {
        Col("t", "a", "b"),
        Lit(null),
        new Literal(null, new DecimalType(12, 3)),
        new Literal((sbyte)-3, ByteType.Instance),
        new Literal((short)300, ShortType.Instance),
        Lit(42),
        Lit(long.MinValue),
        new Literal(0.1f, FloatType.Instance),
        Lit(double.NaN),
        Lit(1e-300),
        new Literal(123.450m, new DecimalType(10, 3)),
        Lit("it's \"quoted\" ☃"),
        new Literal(new byte[] { 0, 255, 7 }, BinaryType.Instance),
        new Literal(18_262, DateType.Instance),
        new Literal(1_614_834_367_089_123L, TimestampType.Instance),
        new Literal(1L, TimestampNtzType.Instance),
        new Star("t"),
        Bin(BinaryOperator.NullSafeEqual, Col("a"), Bin(BinaryOperator.Concat, Lit("x"), Col("b"))),
        new NotExpression(new NegateExpression(Col("a"))),
        new IsNullExpression(Col("a"), Negated: true),
        new InExpression(Col("a"), L(Lit(1), Lit(null)), Negated: true),
        new BetweenExpression(Col("a"), Lit(1), Lit(2)),
        new LikeExpression(Col("s"), Lit("a\\%%"), LikeKind.RLike, Negated: true),
        new CaseExpression(Col("a"), EquatableList.Of(new WhenClause(Lit(1), Lit("one"))), Lit("other")),
        new CaseExpression(null, EquatableList.Of(new WhenClause(Col("f"), Lit(1))), null),
        new CastExpression(Col("a"), new DecimalType(38, 18)),
        new FunctionCall("count", EquatableList.Of<Expression>(new Star()), Distinct: true),
        new Alias(Fn("date_format", Col("ts"), Lit("yyyy-MM")), "month"),
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Round_trips_to_an_equal_expression(Expression expression)
    {
        var json = ExpressionJson.Serialize(expression);
        var back = ExpressionJson.Deserialize(json);
        Assert.Equal(expression, back);
        Assert.Equal(json, ExpressionJson.Serialize(back));
    }

    [Fact]
    public void Unknown_kind_and_type_are_reported()
    {
        Assert.Contains("unknown expression kind 'bogus'", Assert.Throws<System.Text.Json.JsonException>(() => ExpressionJson.Deserialize("{\"kind\":\"bogus\"}")).Message);
        Assert.Contains("unsupported type name 'array<int>'", Assert.Throws<FormatException>(() => ExpressionJson.Deserialize("{\"kind\":\"cast\",\"child\":{\"kind\":\"column\",\"nameParts\":[\"a\"]},\"type\":\"array<int>\"}")).Message);
    }
}
