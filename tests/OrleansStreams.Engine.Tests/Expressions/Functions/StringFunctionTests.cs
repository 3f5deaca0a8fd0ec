using static OrleansStreams.Engine.Tests.Expressions.Functions.FunctionTestKit;

namespace OrleansStreams.Engine.Tests.Expressions.Functions;

public class StringFunctionTests
{
    [Theory]
    [InlineData("trim('  a b  ')", "a b")]
    [InlineData("ltrim('  a ')", "a ")]
    [InlineData("rtrim('  a ')", "  a")]
    [InlineData("trim('\ta\t')", "\ta\t")]
    [InlineData("substring('Spark SQL', 5)", "k SQL")]
    [InlineData("substring('Spark SQL', -3)", "SQL")]
    [InlineData("substring('Spark SQL', 5, 1)", "k")]
    [InlineData("substring('Spark SQL', 0, 2)", "Sp")]
    [InlineData("substr('naïve café', 3, 4)", "ïve ")]
    [InlineData("substring('abc', 10)", "")]
    [InlineData("concat_ws('-', 'a', NULL, 'b')", "a-b")]
    [InlineData("concat_ws('/', split('x,y', ','), 'z')", "x/y/z")]
    [InlineData("regexp_extract('100-200', '(\\\\d+)-(\\\\d+)', 2)", "200")]
    [InlineData("regexp_extract('foo', '(\\\\d+)', 1)", "")]
    [InlineData("regexp_replace('100-200', '(\\\\d+)', 'n$1')", "n100-n200")]
    [InlineData("upper('und ä')", "UND Ä")]
    public void String_functions(string sql, string expected) => Assert.Equal(expected, Eval(sql));

    [Fact]
    public void Nulls_propagate()
    {
        Assert.Null(Eval("trim(NULL)"));
        Assert.Null(Eval("substring(NULL, 1)"));
        Assert.Null(Eval("concat_ws(NULL, 'a')"));
        Assert.Null(Eval("regexp_replace(NULL, 'a', 'b')"));
    }

    [Fact]
    public void Split_keeps_empty_pieces_and_honours_the_limit()
    {
        Assert.Equal(new object?[] { "a", "b", "", "c", "" }, Eval("split('a,b,,c,', ',')"));
        Assert.Equal(new object?[] { "a", "b,,c," }, Eval("split('a,b,,c,', ',', 2)"));
        Assert.Equal(new object?[] { "one", "two" }, Eval("split('one  two', '\\\\s+')"));
    }

    [Fact]
    public void Regex_and_like()
    {
        Assert.Equal(true, Eval("'orders-2022' RLIKE '^orders-\\\\d{4}$'"));
        Assert.Equal(false, Eval("'books' LIKE 'order%'"));
        Assert.Equal(true, Eval("'a_c' LIKE 'a\\\\_c'"));
    }

    [Fact]
    public void An_invalid_regex_fails_at_analysis_naming_it()
    {
        var error = Assert.Throws<Engine.Expressions.Analysis.AnalysisException>(() => Eval("regexp_extract('x', '([a-', 1)"));

        Assert.Contains("([a-", error.Message, StringComparison.Ordinal);
    }
}
