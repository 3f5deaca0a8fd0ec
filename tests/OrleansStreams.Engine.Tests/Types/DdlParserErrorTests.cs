using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Types;

public class DdlParserErrorTests
{
    [Fact]
    public void Missing_type_at_the_end_reports_position_expected_and_found()
    {
        var e = Assert.Throws<SchemaParseException>(() => DdlParser.ParseSchema("a INT, b"));

        Assert.Equal(8, e.Position);
        Assert.Equal("a INT, b", e.Text);
        Assert.Equal("Syntax error at position 8 in schema \"a INT, b\": expected a data type but found end of input", e.Message);
    }

    [Fact]
    public void Is_a_format_exception()
    {
        Assert.IsAssignableFrom<FormatException>(Assert.ThrowsAny<Exception>(() => DdlParser.ParseSchema("a")));
    }

    [Theory]
    [InlineData("a INT,", 6, "expected a field name but found end of input")]
    [InlineData(", a INT", 0, "expected a field name but found ','")]
    [InlineData("a INT b STRING", 6, "expected ',', NOT NULL, COMMENT or end of input but found 'b'")]
    [InlineData("a INT NOT NULL b", 15, "expected ',', COMMENT or end of input but found 'b'")]
    [InlineData("a INT COMMENT 'x' NOT NULL NOT NULL", 27, "expected ',' or end of input but found 'NOT'")]
    [InlineData("a INT NOT b", 10, "expected NULL after NOT but found 'b'")]
    [InlineData("a INT COMMENT x", 14, "expected a quoted comment after COMMENT but found 'x'")]
    [InlineData("a INTEGR", 2, "expected a data type but found unknown type 'INTEGR'")]
    [InlineData("a interval", 2, "expected a data type but found unknown type 'interval'")]
    [InlineData("a ARRAY<INT", 11, "expected '>' but found end of input")]
    [InlineData("a ARRAY INT", 8, "expected '<' but found 'INT'")]
    [InlineData("a MAP<STRING>", 12, "expected ',' but found '>'")]
    [InlineData("a STRUCT<x INT,>", 15, "expected a field name but found '>'")]
    [InlineData("a STRUCT<x INT y INT>", 15, "expected ',', NOT NULL, COMMENT or '>' but found 'y'")]
    [InlineData("a DECIMAL(10,", 13, "expected a decimal scale but found end of input")]
    [InlineData("a DECIMAL(x)", 10, "expected a decimal precision but found 'x'")]
    [InlineData("a DECIMAL(10 2)", 13, "expected ')' but found '2'")]
    [InlineData("a VARCHAR", 9, "expected a length in parentheses after VARCHAR but found end of input")]
    [InlineData("a STRING;", 8, "unexpected character ';'")]
    [InlineData("a STRING COMMENT 'oops", 17, "unterminated string (expected a closing ')")]
    [InlineData("`a INT", 0, "unterminated back-quoted identifier (expected a closing '`')")]
    [InlineData("`` INT", 0, "empty back-quoted identifier ``")]
    [InlineData("a STRING COMMENT '\\u12'", 18, "invalid unicode escape (expected \\u followed by 4 hex digits)")]
    [InlineData("a INT, b STRING, c", 18, "expected a data type but found end of input")]
    [InlineData("a 'INT'", 2, "expected a data type but found string 'INT'")]
    [InlineData("a `INT`", 2, "expected a data type but found identifier `INT`")]
    [InlineData("struct<a:int> extra", 14, "expected end of input but found 'extra'")]
    public void Syntax_errors_name_position_expected_and_found(string ddl, int position, string detail)
    {
        var e = Assert.Throws<SchemaParseException>(() => DdlParser.ParseSchema(ddl));

        Assert.Equal(position, e.Position);
        Assert.Equal($"Syntax error at position {position} in schema \"{ddl}\": {detail}", e.Message);
    }

    [Theory]
    [InlineData("a INT, A STRING", 7, "duplicate field name 'A'")]
    [InlineData("s STRUCT<x: INT, y: INT, x: LONG>", 25, "duplicate field name 'x'")]
    [InlineData("`a` INT, a INT", 9, "duplicate field name 'a'")]
    [InlineData("d DECIMAL(39, 2)", 10, "decimal precision 39 is outside 1 to 38")]
    [InlineData("d DECIMAL(0)", 10, "decimal precision 0 is outside 1 to 38")]
    [InlineData("d DECIMAL(5, 6)", 13, "decimal scale 6 is larger than the precision 5")]
    [InlineData("c CHAR(0)", 7, "CHAR length must be at least 1")]
    public void Invalid_schemas_name_the_fault_and_position(string ddl, int position, string detail)
    {
        var e = Assert.Throws<SchemaParseException>(() => DdlParser.ParseSchema(ddl));

        Assert.Equal(position, e.Position);
        Assert.Equal($"Invalid schema \"{ddl}\" at position {position}: {detail}", e.Message);
    }

    [Theory]
    [InlineData("array<int>>", 10, "expected end of input but found '>'")]
    [InlineData("map<string bigint>", 11, "expected ',' but found 'bigint'")]
    [InlineData("", 0, "expected a data type but found end of input")]
    [InlineData("a INT", 0, "expected a data type but found unknown type 'a'")]
    [InlineData("int extra", 4, "expected end of input but found 'extra'")]
    public void ParseType_errors_say_data_type(string text, int position, string detail)
    {
        var e = Assert.Throws<SchemaParseException>(() => DdlParser.ParseType(text));

        Assert.Equal(position, e.Position);
        Assert.Equal($"Syntax error at position {position} in data type \"{text}\": {detail}", e.Message);
    }

    [Fact]
    public void Long_schemas_are_quoted_around_the_fault()
    {
        var ddl = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"column_{i} STRING")) + ", broken ???";

        var e = Assert.Throws<SchemaParseException>(() => DdlParser.ParseSchema(ddl));

        Assert.Equal(ddl.IndexOf('?', StringComparison.Ordinal), e.Position);
        Assert.StartsWith("Syntax error at position 717 in schema \"…", e.Message, StringComparison.Ordinal);
        Assert.Contains("column_39 STRING, broken ???\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected character '?'", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 300, e.Message);
    }
}
