using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

public class OperatorTests
{
    private static readonly StructType Schema = new(
        new StructField("a", IntegerType.Instance),
        new StructField("b", IntegerType.Instance),
        new StructField("s", StringType.Instance),
        new StructField("d", DoubleType.Instance));

    private static readonly Apache.Arrow.RecordBatch Rows = Batch(
        Schema,
        [7, 2, "x", 1.5],
        [-7, 0, "y", 0.0],
        [null, 3, null, null],
        [int.MaxValue, 1, "1", 2.0]);

    [Fact]
    public void Arithmetic_follows_spark_non_ansi_semantics_with_nulls()
    {
        Assert.Equal(new object?[] { 9, -7, null, int.MinValue }, Eval(Bin(BinaryOperator.Add, Col("a"), Col("b")), Rows)); // wraps like Java
        Assert.Equal(new object?[] { 5, -7, null, int.MaxValue - 1 }, Eval(Bin(BinaryOperator.Subtract, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { 14, 0, null, int.MaxValue }, Eval(Bin(BinaryOperator.Multiply, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { 3.5, null, null, (double)int.MaxValue }, Eval(Bin(BinaryOperator.Divide, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { 1, null, null, 0 }, Eval(Bin(BinaryOperator.Modulo, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { -7, 7, null, -int.MaxValue }, Eval(new NegateExpression(Col("a")), Rows));
    }

    [Theory]
    [InlineData(-7, 3, -1)]
    [InlineData(7, -3, 1)]
    [InlineData(int.MinValue, -1, 0)]
    public void Integer_remainder_takes_the_dividends_sign(int a, int b, int expected) =>
        Assert.Equal(expected, Scalar(Bin(BinaryOperator.Modulo, Lit(a), Lit(b))));

    [Fact]
    public void Mixed_arithmetic_widens_and_strings_become_doubles()
    {
        Assert.Equal(3L, Scalar(Bin(BinaryOperator.Add, Lit(1), Lit(2L))));
        Assert.Equal(2.5, Scalar(Bin(BinaryOperator.Add, Lit(1), Lit(1.5))));
        Assert.Equal(3.0, Scalar(Bin(BinaryOperator.Add, Lit("1"), Lit(2))));
        Assert.Null(Scalar(Bin(BinaryOperator.Add, Lit(1), Lit(null))));
        Assert.Null(Scalar(Bin(BinaryOperator.Divide, Lit(1.0), Lit(0.0))));
        Assert.Null(Scalar(Bin(BinaryOperator.Modulo, Lit(1.5), Lit(0))));
    }

    [Fact]
    public void Decimal_arithmetic_uses_spark_result_types()
    {
        var sum = Analyzer.Bind(Bin(BinaryOperator.Add, Lit(1.25m), Lit(2.5m)), StructType.Empty);
        Assert.Equal(new DecimalType(12, 2), sum.Type);
        Assert.Equal(3.75m, Scalar(Bin(BinaryOperator.Add, Lit(1.25m), Lit(2.5m))));
        Assert.Equal(new DecimalType(21, 2), Analyzer.Bind(Bin(BinaryOperator.Multiply, Lit(1.25m), Lit(3)), StructType.Empty).Type);
        Assert.Equal(3.75m, Scalar(Bin(BinaryOperator.Multiply, Lit(1.25m), Lit(3))));
        Assert.Equal(DoubleType.Instance, Analyzer.Bind(Bin(BinaryOperator.Add, Lit(1.25m), Lit(1.0)), StructType.Empty).Type);
        Assert.Equal(0.333333m, decimal.Round((decimal)Scalar(Bin(BinaryOperator.Divide, Lit(1m), Lit(3m)))!, 6));
    }

    [Fact]
    public void Comparisons_with_nulls_and_null_safe_equality()
    {
        Assert.Equal(new object?[] { true, false, null, true }, Eval(Bin(BinaryOperator.GreaterThan, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { false, false, null, false }, Eval(Bin(BinaryOperator.Equal, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { true, true, null, true }, Eval(Bin(BinaryOperator.NotEqual, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { false, false, false, false }, Eval(Bin(BinaryOperator.NullSafeEqual, Col("a"), Col("b")), Rows));
        Assert.Equal(new object?[] { false, false, true, false }, Eval(Bin(BinaryOperator.NullSafeEqual, Col("s"), Lit(null)), Rows));
        Assert.Equal(true, Scalar(Bin(BinaryOperator.NullSafeEqual, Lit(null), Lit(null))));
        Assert.Equal(new object?[] { true, true, null, true }, Eval(Bin(BinaryOperator.LessThanOrEqual, Col("s"), Lit("y")), Rows)); // "1" sorts before "y" by bytes
    }

    [Theory]
    [InlineData("1", 1, true)]
    [InlineData(" 1 ", 1, true)]
    [InlineData("1.5", 1, true)] // the string is cast to INT (1)
    [InlineData("abc", 1, null)]
    public void String_compared_with_number_is_cast_to_the_number_type(string s, int n, bool? expected) =>
        Assert.Equal(expected, Scalar(Bin(BinaryOperator.Equal, Lit(s), Lit(n))));

    [Fact]
    public void Nan_equals_nan_and_sorts_above_numbers()
    {
        Assert.Equal(true, Scalar(Bin(BinaryOperator.Equal, Lit(double.NaN), Lit(double.NaN))));
        Assert.Equal(true, Scalar(Bin(BinaryOperator.GreaterThan, Lit(double.NaN), Lit(double.PositiveInfinity))));
    }

    [Theory]
    [InlineData(true, true, true, true)]
    [InlineData(true, false, false, true)]
    [InlineData(true, null, null, true)]
    [InlineData(false, true, false, true)]
    [InlineData(false, false, false, false)]
    [InlineData(false, null, false, null)]
    [InlineData(null, true, null, true)]
    [InlineData(null, false, false, null)]
    [InlineData(null, null, null, null)]
    public void And_or_follow_three_valued_logic(bool? a, bool? b, bool? and, bool? or)
    {
        var schema = new StructType(new StructField("x", BooleanType.Instance), new StructField("y", BooleanType.Instance));
        var batch = Batch(schema, [a, b]);
        Assert.Equal(and, Eval(Bin(BinaryOperator.And, Col("x"), Col("y")), batch)[0]);
        Assert.Equal(or, Eval(Bin(BinaryOperator.Or, Col("x"), Col("y")), batch)[0]);
        Assert.Equal(a is null ? null : !a, Eval(new NotExpression(Col("x")), batch)[0]);
    }

    [Fact]
    public void Is_null_in_and_between()
    {
        Assert.Equal(new object?[] { false, false, true, false }, Eval(new IsNullExpression(Col("a")), Rows));
        Assert.Equal(new object?[] { true, true, false, true }, Eval(new IsNullExpression(Col("s"), Negated: true), Rows));
        Assert.Null(Scalar(new InExpression(Lit(1), L(Lit(2), Lit(null)))));
        Assert.Equal(true, Scalar(new InExpression(Lit(1), L(Lit(1), Lit(null)))));
        Assert.Equal(false, Scalar(new InExpression(Lit(1), L(Lit(2), Lit(3)))));
        Assert.Null(Scalar(new InExpression(Lit(null), L(Lit(1)))));
        Assert.Null(Scalar(new InExpression(Lit(1), L(Lit(2), Lit(null)), Negated: true)));
        Assert.Equal(new object?[] { true, false, null, false }, Eval(new InExpression(Col("a"), L(Lit(7L), Lit(8))), Rows));
        Assert.Equal(new object?[] { false, false, null, true }, Eval(new BetweenExpression(Col("d"), Lit(2), Lit(3)), Rows));
        Assert.Equal(new object?[] { true, true, null, false }, Eval(new BetweenExpression(Col("d"), Lit(2), Lit(3), Negated: true), Rows));
    }

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "a%", true)]
    [InlineData("abc", "%c", true)]
    [InlineData("abc", "a_c", true)]
    [InlineData("abc", "b", false)] // LIKE matches the whole value
    [InlineData("a%c", "a\\%c", true)]
    [InlineData("abc", "a\\%c", false)]
    [InlineData("a.c", "a.c", true)]
    [InlineData("abc", "a.c", false)]
    [InlineData("line1\nline2", "line1%", true)]
    public void Like_matches_sql_wildcards(string value, string pattern, bool expected) =>
        Assert.Equal(expected, Scalar(new LikeExpression(Lit(value), Lit(pattern))));

    [Theory]
    [InlineData("abc", "b", true)] // RLIKE finds anywhere
    [InlineData("abc", "^b", false)]
    [InlineData("a1b22", "\\d{2}", true)]
    public void Rlike_finds_a_regex(string value, string pattern, bool expected) =>
        Assert.Equal(expected, Scalar(new LikeExpression(Lit(value), Lit(pattern), LikeKind.RLike)));

    [Fact]
    public void Like_over_a_column_with_nulls_and_not_like()
    {
        Assert.Equal(new object?[] { true, false, null, false }, Eval(new LikeExpression(Col("s"), Lit("x%")), Rows));
        Assert.Equal(new object?[] { false, true, null, true }, Eval(new LikeExpression(Col("s"), Lit("x%"), Negated: true), Rows));
    }

    [Fact]
    public void Case_when_both_forms_coalesce_nullif_and_concat()
    {
        var searched = new CaseExpression(null, EquatableList.Of(new WhenClause(Bin(BinaryOperator.GreaterThan, Col("a"), Lit(0)), Lit("pos")), new WhenClause(Bin(BinaryOperator.LessThan, Col("a"), Lit(0)), Lit("neg"))), Lit("none"));
        Assert.Equal(new object?[] { "pos", "neg", "none", "pos" }, Eval(searched, Rows));
        var simple = new CaseExpression(Col("b"), EquatableList.Of(new WhenClause(Lit(2), Col("d")), new WhenClause(Lit(3), Lit(1))), null);
        Assert.Equal(new object?[] { 1.5, null, 1.0, null }, Eval(simple, Rows)); // results widen to double
        Assert.Equal(new object?[] { 7L, -7L, 9L, (long)int.MaxValue }, Eval(Fn("coalesce", Col("a"), Lit(null), Lit(9L)), Rows));
        Assert.Equal(new object?[] { 7, null, null, int.MaxValue }, Eval(Fn("NULLIF", Col("a"), Lit(-7)), Rows));
        Assert.Equal(new object?[] { "x7", "y-7", null, "12147483647" }, Eval(Bin(BinaryOperator.Concat, Col("s"), Col("a")), Rows));
        Assert.Equal(new object?[] { "x-x", "y-y", null, "1-1" }, Eval(Fn("concat", Col("s"), Lit("-"), Col("s")), Rows));
    }

    [Fact]
    public void String_functions_and_abs()
    {
        Assert.Equal("ÉTÉ ABC", Scalar(Fn("upper", Lit("été abc"))));
        Assert.Equal("abc", Scalar(Fn("LOWER", Lit("AbC"))));
        Assert.Equal(3, Scalar(Fn("length", Lit("été"))));
        Assert.Null(Scalar(Fn("length", Lit(null))));
        Assert.Equal(new object?[] { 7, 7, null, int.MaxValue }, Eval(Fn("abs", Col("a")), Rows));
        Assert.Equal(int.MinValue, Scalar(Fn("abs", Lit(int.MinValue))));
        Assert.Equal(1.5m, Scalar(Fn("abs", Lit(-1.5m))));
    }

    [Fact]
    public void Nested_struct_fields_resolve_case_insensitively_and_null_parents_give_null()
    {
        var inner = new StructType(new StructField("b", IntegerType.Instance), new StructField("c", StringType.Instance));
        var schema = new StructType(new StructField("a", inner), new StructField("k", IntegerType.Instance));
        var batch = Batch(schema, [new object?[] { 1, "one" }, 10], [null, 20], [new object?[] { null, "three" }, 30]);
        Assert.Equal(new object?[] { 1, null, null }, Eval(Col("A", "B"), batch));
        Assert.Equal(new object?[] { "one", null, "three" }, Eval(Col("a", "c"), batch));
        Assert.Equal(new object?[] { 11, null, null }, Eval(Bin(BinaryOperator.Add, Col("a", "b"), Col("k")), batch));
    }

    [Fact]
    public void Constant_sub_trees_are_folded_to_literals()
    {
        var bound = Analyzer.Bind(Bin(BinaryOperator.Add, Col("a"), Bin(BinaryOperator.Multiply, Lit(2), Lit(3))), Schema);
        var right = bound.Children[1];
        Assert.IsType<OrleansStreams.Engine.Expressions.Bound.BoundLiteral>(right);
        Assert.Equal(6, ((OrleansStreams.Engine.Expressions.Bound.BoundLiteral)right).Value);
    }
}
