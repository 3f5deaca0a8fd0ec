using OrleansStreams.Engine.Sql;

namespace OrleansStreams.Engine.Tests.Sql;

public class SqlParseErrorTests
{
    private static SqlParseException Error(string sql, string? sourceName = null) =>
        Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement(sql, sourceName));

    [Fact]
    public void Misspelled_clause_reports_position_found_token_and_alternatives()
    {
        var error = Error("SELECT a, b\nFROM t\nWHERE a = 1 GRUP BY a");
        Assert.Equal((3, 13), (error.Line, error.Column));
        Assert.Equal("GRUP", error.Found);
        Assert.Equal(["GROUP BY", "HAVING", "UNION", "ORDER BY", "LIMIT", "end of input"], error.Expected);
        Assert.Equal(
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'GRUP': expected one of GROUP BY, HAVING, UNION, ORDER BY, LIMIT, end of input (line 3, column 13)",
            error.Message);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void Source_name_is_put_in_front()
    {
        var error = Error("SELECT *\n  FORM t", "pipeline.sql");
        Assert.Equal(
            "pipeline.sql:2:3: [PARSE_SYNTAX_ERROR] Syntax error at or near 'FORM': expected one of ',', FROM, WHERE, GROUP BY, HAVING, UNION, ORDER BY, LIMIT, end of input",
            error.Message);
    }

    [Theory]
    [InlineData("SELEC 1", 1, 1, "SELEC", "SELECT|WITH|'('|CREATE|DROP|DESCRIBE|SHOW|SET|OPTIMIZE|VACUUM")]
    [InlineData("SELECT FROM t", 1, 8, "FROM", "expression")]
    [InlineData("SELECT a FROM", 1, 14, null, "'('|table name")]
    [InlineData("SELECT (a + 1 FROM t", 1, 15, "FROM", "')'")]
    [InlineData("SELECT CASE WHEN a THEN b", 1, 26, null, "WHEN|ELSE|END")]
    [InlineData("SELECT a FROM t ORDER BY a DESC NULLS MIDDLE", 1, 39, "MIDDLE", "FIRST|LAST")]
    [InlineData("SELECT a IS 1", 1, 13, "1", "NOT|NULL|DISTINCT FROM")]
    [InlineData("SELECT a FROM t LIMIT x", 1, 23, "x", "number")]
    [InlineData("SELECT * FROM t LEFT t2 ON a = b", 1, 22, "t2", "JOIN")]
    [InlineData("SELECT * FROM read_files('/x', format 'json')", 1, 39, "'json'", "'=>'")]
    [InlineData("SELECT * FROM read_files(format => 'json')", 1, 26, "format", "path string")]
    [InlineData("SELECT a,\n  b\n  c d FROM t", 3, 5, "d", "','|FROM|WHERE|GROUP BY|HAVING|UNION|ORDER BY|LIMIT|end of input")]
    [InlineData("CREATE OR REFRESH STREMING TABLE x AS SELECT 1", 1, 19, "STREMING", "GLOBAL|TEMPORARY|TEMP|STREAMING|LIVE|VIEW|TABLE")]
    [InlineData("CREATE OR REFRESH STREAMING TABLE x SELECT 1", 1, 37, "SELECT", "PARTITIONED BY|COMMENT|TBLPROPERTIES|USING|LOCATION|AS")]
    [InlineData("CREATE GLOBAL VIEW v AS SELECT 1", 1, 15, "VIEW", "TEMPORARY|TEMP")]
    [InlineData("DROP t", 1, 6, "t", "VIEW|TABLE")]
    [InlineData("SELECT * FROM t NATURAL JOIN u", 1, 17, "NATURAL", "','|JOIN|WHERE|GROUP BY|HAVING|UNION|ORDER BY|LIMIT|end of input")]
    [InlineData("SELECT 1 SELECT 2", 1, 10, "SELECT", "','|FROM|WHERE|GROUP BY|HAVING|UNION|ORDER BY|LIMIT|end of input")]
    public void Syntax_errors(string sql, int line, int column, string? found, string expected)
    {
        var error = Error(sql);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(found, error.Found);
        Assert.Equal(expected.Split('|'), error.Expected);
        Assert.Contains(found is null ? "at or near end of input" : $"at or near '{found}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT 'abc", 1, 8, "is not closed")]
    [InlineData("SELECT `abc", 1, 8, "Unterminated back-quoted identifier")]
    [InlineData("SELECT a /* unclosed", 1, 10, "[UNCLOSED_BRACKETED_COMMENT]")]
    [InlineData("SELECT a # b", 1, 10, "Unexpected character '#'")]
    [InlineData("SELECT 1.5.3", 1, 8, "Invalid number '1.5.3'")]
    [InlineData("SELECT\n  99999999999999999999L", 2, 3, "outside the range of bigint")]
    [InlineData("SELECT 300Y", 1, 8, "outside the range of tinyint")]
    [InlineData("SELECT DATE '2024-02-30'", 1, 13, "typed literal DATE is invalid: '2024-02-30'")]
    [InlineData("SELECT TIMESTAMP_NTZ 'yesterday'", 1, 22, "typed literal TIMESTAMP_NTZ is invalid")]
    [InlineData("SELECT X'0G'", 1, 8, "not a valid binary literal")]
    [InlineData("SELECT INTERVAL '10 minutes'", 1, 8, "INTERVAL literals are not supported yet")]
    [InlineData("SELECT CAST(a AS array<int>)", 1, 18, "Casting to ARRAY types is not supported yet")]
    [InlineData("SELECT CAST(a AS foo)", 1, 18, "Unsupported data type 'foo'")]
    [InlineData("SELECT CAST(a AS decimal(40, 2))", 1, 18, "Invalid decimal(40,2)")]
    [InlineData("SELECT count(*) OVER (PARTITION BY a) FROM t", 1, 17, "OVER clauses on function calls are not supported yet")]
    [InlineData("SELECT * FROM range(10)", 1, 15, "Table-valued function 'range' is not supported")]
    [InlineData("SELECT * FROM read_files('/x', format => 'json', FORMAT => 'csv')", 1, 50, "Option 'FORMAT' is given more than once")]
    [InlineData("SELECT a FROM t WHERE a IN (SELECT b FROM u)", 1, 29, "IN (subquery) is not supported yet")]
    [InlineData("CREATE TABLE t COMMENT 'a' COMMENT 'b' AS SELECT 1", 1, 28, "[DUPLICATE_CLAUSES] Found duplicate clause COMMENT")]
    [InlineData("", 1, 1, "[PARSE_EMPTY_STATEMENT]")]
    [InlineData("-- only a comment", 1, 1, "[PARSE_EMPTY_STATEMENT]")]
    public void Invalid_tokens_and_unsupported_constructs(string sql, int line, int column, string message)
    {
        var error = Error(sql);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expression_errors_carry_positions_too()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("a +", "Filter"));
        Assert.Equal((1, 4), (error.Line, error.Column));
        Assert.Equal(["expression"], error.Expected);
        Assert.StartsWith("Filter:1:4: ", error.Message, StringComparison.Ordinal);

        var trailing = Assert.Throws<SqlParseException>(() => SqlParser.ParseExpression("a b c"));
        Assert.Equal((1, 5), (trailing.Line, trailing.Column));
        Assert.Equal(["end of input"], trailing.Expected);
    }
}
