using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.Sql;

/// <summary>
/// Entry points of the SQL front end: statements, scripts (e.g. a pipeline .sql file) and
/// standalone expressions (the DataFrame API's <c>Expr("…")</c>, <c>SelectExpr</c>, <c>Filter("…")</c>).
/// Errors are <see cref="SqlParseException"/>s naming the line and column (and the source, if given).
/// </summary>
public static class SqlParser
{
    /// <summary>Parses one statement; a trailing <c>;</c> is allowed.</summary>
    public static SqlStatement ParseStatement(string sql, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return ParseSegment(sql, new ScriptSegment(0, sql.Length, 1, 1), sourceName)
            ?? throw new SqlParseException("[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement", 1, 1, sourceName);
    }

    /// <summary>
    /// Parses every <c>;</c>-separated statement of a script, skipping empty ones (only comments or
    /// blanks). Each statement records the line it starts on; positions in errors are script positions.
    /// </summary>
    public static IReadOnlyList<SqlStatement> ParseScript(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var statements = new List<SqlStatement>();
        foreach (var segment in SqlScriptSplitter.Split(text))
        {
            if (ParseSegment(text, segment, sourceName) is { } statement)
            {
                statements.Add(statement);
            }
        }

        return statements;
    }

    /// <summary>Parses an expression with an optional alias: <c>count(x) AS n</c>, <c>a + 1 &gt; b</c>, <c>t.*</c>.</summary>
    public static Expression ParseExpression(string text, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new SqlLexer(text, 0, text.Length, 1, 1, sourceName).ReadAll();
        return new SqlSyntaxParser(text, tokens, sourceName).ParseNamedExpressionToEnd();
    }

    /// <summary>A table name (<c>t</c>, <c>db.t</c>, <c>delta.`/data/t`</c>); a bare path (<c>/data/t</c>) reads as <c>delta.`/data/t`</c>.</summary>
    public static QualifiedName ParseTableName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('`', StringComparison.Ordinal) && text.AsSpan().IndexOfAny('/', '\\', ':') >= 0)
        {
            return new QualifiedName("delta", text);
        }

        var tokens = new SqlLexer(text, 0, text.Length, 1, 1, null).ReadAll();
        return new SqlSyntaxParser(text, tokens, null).ParseQualifiedNameToEnd();
    }

    /// <summary>The statement in one segment, or null when it holds only blanks and comments.</summary>
    private static SqlStatement? ParseSegment(string text, ScriptSegment segment, string? sourceName)
    {
        var lexer = new SqlLexer(text, segment.Start, segment.End, segment.Line, segment.Column, sourceName);
        var first = lexer.Next();
        if (first.Kind == SqlTokenKind.End)
        {
            return null;
        }

        var statementText = text[first.Start..segment.End].TrimEnd().TrimEnd(';').TrimEnd();

        // SET takes the rest of the statement as raw text (values like America/New_York are not SQL tokens).
        var statement = first.IsWord("SET")
            ? ParseSet(text[first.End..segment.End], first, sourceName)
            : new SqlSyntaxParser(text, lexer.ReadAll(first), sourceName).ParseStatementToEnd();
        return statement with { Line = first.Line, Text = statementText };
    }

    private static SetStatement ParseSet(string rest, SqlToken setToken, string? sourceName)
    {
        var body = rest.Trim().TrimEnd(';').Trim();
        if (body.Length == 0)
        {
            return new SetStatement();
        }

        const string TimeZone = "TIME ZONE ";
        if (body.StartsWith(TimeZone, StringComparison.OrdinalIgnoreCase))
        {
            return new SetStatement("spark.sql.session.timeZone", Unquote(body[TimeZone.Length..].Trim()));
        }

        var equals = body.IndexOf('=', StringComparison.Ordinal);
        var key = Unquote((equals < 0 ? body : body[..equals]).Trim());
        if (key.Length == 0)
        {
            throw new SqlParseException("[INVALID_SET_SYNTAX] Expected a configuration key: SET key = value", setToken.Line, setToken.Column, sourceName);
        }

        return equals < 0 ? new SetStatement(key) : new SetStatement(key, body[(equals + 1)..].Trim());
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == text[^1] && text[0] is '\'' or '"' or '`' ? text[1..^1] : text;
}
