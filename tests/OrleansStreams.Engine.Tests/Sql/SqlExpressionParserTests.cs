using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Sql;

public class SqlExpressionParserTests
{
    private static Expression E(string text) => SqlParser.ParseExpression(text);

    private static ColumnRef Col(params string[] parts) => new(parts);

    private static Literal Int(int value) => new(value, IntegerType.Instance);

    private static BinaryExpression Bin(BinaryOperator op, Expression left, Expression right) => new(op, left, right);

    [Theory]
    [InlineData("1", 1, "int")]
    [InlineData("-2147483648", -2147483648, "int")]
    [InlineData("2147483648", 2147483648L, "bigint")]
    [InlineData("10000000000", 10000000000L, "bigint")]
    [InlineData("1L", 1L, "bigint")]
    [InlineData("7S", (short)7, "smallint")]
    [InlineData("7Y", (sbyte)7, "tinyint")]
    [InlineData("1.5D", 1.5, "double")]
    [InlineData("1e3", 1000.0, "double")]
    [InlineData("2.5E-1", 0.25, "double")]
    [InlineData("1.5F", 1.5f, "float")]
    public void Numeric_literals_get_Spark_types(string text, object value, string type)
    {
        var literal = Assert.IsType<Literal>(E(text));
        Assert.Equal(value, literal.Value);
        Assert.Equal(type, literal.Type.SimpleString);
    }

    [Theory]
    [InlineData("1.5", "1.5", 2, 1)]
    [InlineData("1.50", "1.50", 3, 2)]
    [InlineData("0.05", "0.05", 2, 2)]
    [InlineData(".5", "0.5", 1, 1)]
    [InlineData("-12.345", "-12.345", 5, 3)]
    [InlineData("1.5BD", "1.5", 2, 1)]
    [InlineData("12BD", "12", 2, 0)]
    [InlineData("123456789012345678901234", "123456789012345678901234", 24, 0)]
    public void Decimal_literals_take_precision_and_scale_from_their_digits(string text, string value, int precision, int scale)
    {
        var literal = Assert.IsType<Literal>(E(text));
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), literal.Value);
        Assert.Equal(new DecimalType(precision, scale), literal.Type);
    }

    [Fact]
    public void Other_literals()
    {
        Assert.Equal(new Literal(true, BooleanType.Instance), E("TRUE"));
        Assert.Equal(new Literal(false, BooleanType.Instance), E("false"));
        Assert.Equal(Literal.Null(), E("NULL"));
        Assert.Equal(new Literal(new byte[] { 0x0A, 0xFF }, BinaryType.Instance), E("X'0AFF'"));
        Assert.Equal(new Literal(new byte[] { 0x0A }, BinaryType.Instance), E("x'A'"));
        Assert.Equal(new Literal(19723, DateType.Instance), E("DATE '2024-01-01'"));
        Assert.Equal(new Literal(19754, DateType.Instance), E("date '2024-2-1'"));
        Assert.Equal(new Literal(1704110400_123456L, TimestampNtzType.Instance), E("TIMESTAMP_NTZ '2024-01-01 12:00:00.123456'"));
        Assert.Equal(
            new CastExpression(new Literal("2024-01-01 10:00:00", StringType.Instance), TimestampType.Instance),
            E("TIMESTAMP '2024-01-01 10:00:00'"));
    }

    [Theory]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData("\"double\"", "double")]
    [InlineData(@"'a\nb\tc'", "a\nb\tc")]
    [InlineData(@"'\u0041\101'", "AA")]
    [InlineData(@"'100\%'", @"100\%")]
    [InlineData(@"'back\\slash'", @"back\slash")]
    [InlineData("'con' 'cat' \"enated\"", "concatenated")]
    [InlineData("'-- not a comment; nor /* this */'", "-- not a comment; nor /* this */")]
    public void String_literals_use_Spark_escapes(string text, string value)
    {
        Assert.Equal(new Literal(value, StringType.Instance), E(text));
    }

    [Fact]
    public void Identifiers_bare_back_quoted_and_nested()
    {
        Assert.Equal(Col("a"), E("a"));
        Assert.Equal(Col("a", "b", "c"), E("a.b.c"));
        Assert.Equal(Col("my col", "x`y"), E("`my col`.`x``y`"));
        Assert.Equal(Col("t", "from"), E("t.from"));
        Assert.Equal(Col("timestamp"), E("timestamp"));
        Assert.Equal(Col("1st"), E("1st"));
        Assert.Equal(new Star(), E("*"));
        Assert.Equal(new Star("t"), E("t.*"));
    }

    [Theory]
    [InlineData("1 + 2 * 3", "(1 + (2 * 3))")]
    [InlineData("(1 + 2) * 3", "((1 + 2) * 3)")]
    [InlineData("a - b - c", "((a - b) - c)")]
    [InlineData("a / b % c", "((a / b) % c)")]
    [InlineData("-a * b", "((- a) * b)")]
    [InlineData("- -a", "(- (- a))")]
    [InlineData("+a", "a")]
    [InlineData("a OR b AND c", "(a OR (b AND c))")]
    [InlineData("a AND b OR c AND d", "((a AND b) OR (c AND d))")]
    [InlineData("NOT a AND b", "((NOT a) AND b)")]
    [InlineData("NOT a = b", "(NOT (a = b))")]
    [InlineData("NOT NOT a", "(NOT (NOT a))")]
    [InlineData("!a", "(NOT a)")]
    [InlineData("a = 1 OR b <> 2", "((a = 1) OR (b != 2))")]
    [InlineData("a + 1 > b * 2", "((a + 1) > (b * 2))")]
    [InlineData("a == b", "(a = b)")]
    [InlineData("a <=> b", "(a <=> b)")]
    [InlineData("a != b AND c <= d AND e >= f AND g < h", "((((a != b) AND (c <= d)) AND (e >= f)) AND (g < h))")]
    [InlineData("'a' || 'b' || c", "(('a' || 'b') || c)")]
    [InlineData("'a' || 1 + 2", "(('a' || 1) + 2)")]
    [InlineData("a || b * 2", "(a || (b * 2))")]
    [InlineData("a IS NULL AND b IS NOT NULL", "((a IS NULL) AND (b IS NOT NULL))")]
    [InlineData("a + 1 IS NULL", "((a + 1) IS NULL)")]
    [InlineData("NOT a IS NULL", "(NOT (a IS NULL))")]
    [InlineData("a IN (1, 2, 3)", "(a IN (1, 2, 3))")]
    [InlineData("a NOT IN ('x')", "(a NOT IN ('x'))")]
    [InlineData("a BETWEEN 1 AND 2 AND b", "((a BETWEEN 1 AND 2) AND b)")]
    [InlineData("a NOT BETWEEN b + 1 AND c * 2", "(a NOT BETWEEN (b + 1) AND (c * 2))")]
    [InlineData("name LIKE 'a%' OR name NOT LIKE '%b'", "((name LIKE 'a%') OR (name NOT LIKE '%b'))")]
    [InlineData("name RLIKE '^a' AND name REGEXP 'b$'", "((name RLIKE '^a') AND (name RLIKE 'b$'))")]
    [InlineData("name NOT RLIKE 'x'", "(name NOT RLIKE 'x')")]
    [InlineData("a IS DISTINCT FROM b", "(NOT (a <=> b))")]
    [InlineData("a IS NOT DISTINCT FROM b", "(a <=> b)")]
    [InlineData("-x::int", "(- CAST(x AS INT))")]
    [InlineData("a.b::string || 'x'", "(CAST(a.b AS STRING) || 'x')")]
    [InlineData("-1::string", "(- CAST(1 AS STRING))")]
    public void Precedence_follows_Spark(string text, string sql)
    {
        Assert.Equal(sql, E(text).Sql);
    }

    [Fact]
    public void Precedence_builds_the_expected_tree()
    {
        Assert.Equal(
            Bin(BinaryOperator.Or, Col("a"), Bin(BinaryOperator.And, Col("b"), new NotExpression(Bin(BinaryOperator.Equal, Col("c"), Int(1))))),
            E("a OR b AND NOT c = 1"));
        Assert.Equal(new NegateExpression(Col("x")), E("-x"));
        Assert.Equal(new Literal(-5, IntegerType.Instance), E("-5"));
        Assert.Equal(Bin(BinaryOperator.Subtract, Int(3), Int(1)), E("3-1"));
        Assert.Equal(new InExpression(Col("a"), EquatableList.Of<Expression>(Int(1), Int(2)), Negated: true), E("a NOT IN (1, 2)"));
        Assert.Equal(new BetweenExpression(Col("a"), Int(1), Int(2)), E("a BETWEEN 1 AND 2"));
        Assert.Equal(new LikeExpression(Col("a"), new Literal("x%", StringType.Instance), LikeKind.Like, Negated: true), E("a NOT LIKE 'x%'"));
        Assert.Equal(new IsNullExpression(Col("a"), Negated: true), E("a IS NOT NULL"));
    }

    [Fact]
    public void Case_expressions()
    {
        Assert.Equal(
            new CaseExpression(null, EquatableList.Of(new WhenClause(Bin(BinaryOperator.GreaterThan, Col("a"), Int(1)), new Literal("big", StringType.Instance))), new Literal("small", StringType.Instance)),
            E("CASE WHEN a > 1 THEN 'big' ELSE 'small' END"));
        Assert.Equal(
            new CaseExpression(Col("a"), EquatableList.Of(new WhenClause(Int(1), Col("x")), new WhenClause(Int(2), Col("y"))), null),
            E("case a when 1 then x when 2 then y end"));
    }

    [Theory]
    [InlineData("CAST(a AS string)", "string")]
    [InlineData("CAST(a AS BINARY)", "binary")]
    [InlineData("CAST(a AS boolean)", "boolean")]
    [InlineData("CAST(a AS tinyint)", "tinyint")]
    [InlineData("CAST(a AS byte)", "tinyint")]
    [InlineData("CAST(a AS smallint)", "smallint")]
    [InlineData("CAST(a AS short)", "smallint")]
    [InlineData("CAST(a AS INT)", "int")]
    [InlineData("CAST(a AS integer)", "int")]
    [InlineData("CAST(a AS bigint)", "bigint")]
    [InlineData("CAST(a AS long)", "bigint")]
    [InlineData("CAST(a AS float)", "float")]
    [InlineData("CAST(a AS double)", "double")]
    [InlineData("CAST(a AS decimal)", "decimal(10,0)")]
    [InlineData("CAST(a AS decimal(12, 3))", "decimal(12,3)")]
    [InlineData("CAST(a AS dec(5))", "decimal(5,0)")]
    [InlineData("CAST(a AS NUMERIC(38,38))", "decimal(38,38)")]
    [InlineData("CAST(a AS date)", "date")]
    [InlineData("CAST(a AS TIMESTAMP)", "timestamp")]
    [InlineData("CAST(a AS timestamp_ntz)", "timestamp_ntz")]
    [InlineData("CAST(a AS varchar(10))", "string")]
    [InlineData("a::bigint", "bigint")]
    public void Cast_targets(string text, string type)
    {
        var cast = Assert.IsType<CastExpression>(E(text));
        Assert.Equal(Col("a"), cast.Child);
        Assert.Equal(type, cast.TargetType.SimpleString);
    }

    [Fact]
    public void Function_calls()
    {
        Assert.Equal(new FunctionCall("count", new Star()), E("count(*)"));
        Assert.Equal(new FunctionCall("count", EquatableList.Of<Expression>(Col("x")), Distinct: true), E("count(DISTINCT x)"));
        Assert.Equal(new FunctionCall("now", EquatableList<Expression>.Empty), E("now()"));
        Assert.Equal(
            new FunctionCall("date_format", new CastExpression(Col("ts"), DateType.Instance), new Literal("yyyy-MM", StringType.Instance)),
            E("date_format(CAST(ts AS DATE), 'yyyy-MM')"));
        Assert.Equal(new FunctionCall("left", Col("s"), Int(2)), E("left(s, 2)"));
        Assert.Equal(new FunctionCall("db.f", Col("x")), E("db.f(x)"));
        Assert.Equal("count(DISTINCT x)", E("count(DISTINCT x)").Sql);
    }

    [Fact]
    public void An_alias_may_follow_a_standalone_expression()
    {
        Assert.Equal(new Alias(new FunctionCall("count", Col("book_id")), "total_books"), E("count(book_id) AS total_books"));
        Assert.Equal(new Alias(Bin(BinaryOperator.Add, Col("a"), Int(1)), "b"), E("a + 1 b"));
        Assert.Equal(new Alias(Col("a"), "select"), E("a AS `select`"));
    }

    [Fact]
    public void Comments_are_skipped()
    {
        Assert.Equal(Bin(BinaryOperator.Add, Col("a"), Int(1)), E("a /* outer /* nested */ still comment */ + -- tail\n 1"));
    }
}
