namespace OrleansStreams.Engine.Sql;

/// <summary>
/// The recursive-descent parser over one statement's tokens. This part holds the token cursor and
/// error reporting; the grammar is split by topic into the other <c>SqlSyntaxParser.*.cs</c> files.
/// </summary>
/// <remarks>
/// Expected-token lists: every <c>Accept…</c>/<c>Expect…</c> call notes what it looked for at the
/// current token, so a syntax error lists all the alternatives tried at the failing position.
/// Operator checks inside expressions use the silent <c>At…</c> forms: listing every operator
/// after each operand would drown the useful alternatives (FROM, WHERE, …).
/// </remarks>
internal sealed partial class SqlSyntaxParser
{
    /// <summary>Words that end an expression or clause, so they are never read as a column or an implicit alias.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALL", "AND", "ANTI", "AS", "ASC", "BETWEEN", "BY", "CASE", "CROSS", "DESC", "DISTINCT", "ELSE", "END", "EXCEPT",
        "FALSE", "FROM", "FULL", "GROUP", "HAVING", "IN", "INNER", "INTERSECT", "IS", "JOIN", "LIKE", "LIMIT", "NOT",
        "NULL", "NULLS", "ON", "OR", "ORDER", "OUTER", "REGEXP", "RLIKE", "SELECT", "SEMI", "THEN", "TRUE", "UNION",
        "USING", "WHEN", "WHERE", "WITH",
    };

    /// <summary>Words that may name a column or function but cannot be an implicit (AS-less) alias.</summary>
    private static readonly HashSet<string> NotAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        "LEFT", "RIGHT", "NATURAL", "LATERAL", "WINDOW", "OVER", "PIVOT", "UNPIVOT", "TABLESAMPLE", "QUALIFY", "MINUS",
    };

    private readonly string _source;
    private readonly string? _sourceName;
    private readonly List<SqlToken> _tokens;
    private readonly List<string> _expected = [];
    private int _expectedAt = -1;
    private int _pos;

    public SqlSyntaxParser(string source, List<SqlToken> tokens, string? sourceName)
    {
        _source = source;
        _tokens = tokens;
        _sourceName = sourceName;
    }

    private SqlToken Current => _tokens[_pos];

    private SqlToken Ahead(int count) => _tokens[Math.Min(_pos + count, _tokens.Count - 1)];

    private SqlToken Advance()
    {
        var token = Current;
        if (token.Kind != SqlTokenKind.End)
        {
            _pos++;
        }

        return token;
    }

    private void Expecting(string what)
    {
        if (_expectedAt != _pos)
        {
            _expected.Clear();
            _expectedAt = _pos;
        }

        if (!_expected.Contains(what))
        {
            _expected.Add(what);
        }
    }

    private bool AtWord(string keyword) => Current.IsWord(keyword);

    private bool AtSymbol(string symbol) => Current.IsSymbol(symbol);

    private bool AcceptWord(string keyword)
    {
        Expecting(keyword.ToUpperInvariant());
        if (!AtWord(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    /// <summary>A keyword sequence such as GROUP BY: absent is fine, but once the first word is there the rest must follow.</summary>
    private bool AcceptWords(params string[] keywords)
    {
        Expecting(string.Join(' ', keywords).ToUpperInvariant());
        if (!AtWord(keywords[0]))
        {
            return false;
        }

        Advance();
        foreach (var keyword in keywords.Skip(1))
        {
            ExpectWord(keyword);
        }

        return true;
    }

    private void ExpectWord(string keyword)
    {
        if (!AcceptWord(keyword))
        {
            throw Fail();
        }
    }

    private bool AcceptSymbol(string symbol)
    {
        Expecting($"'{symbol}'");
        if (!AtSymbol(symbol))
        {
            return false;
        }

        Advance();
        return true;
    }

    private void ExpectSymbol(string symbol)
    {
        if (!AcceptSymbol(symbol))
        {
            throw Fail();
        }
    }

    private void ExpectEnd()
    {
        while (AtSymbol(";"))
        {
            Advance();
        }

        Expecting("end of input");
        if (Current.Kind != SqlTokenKind.End)
        {
            throw Fail();
        }
    }

    private static bool IsIdentifier(SqlToken token) =>
        token.Kind == SqlTokenKind.QuotedIdentifier || (token.Kind == SqlTokenKind.Word && !Reserved.Contains(token.Text));

    /// <summary>An identifier (bare and not reserved, or back-quoted); <paramref name="what"/> names it in the error.</summary>
    private string ExpectIdentifier(string what)
    {
        Expecting(what);
        if (!IsIdentifier(Current))
        {
            throw Fail();
        }

        return Advance().Text;
    }

    private string? ParseOptionalAlias()
    {
        // AS is checked silently: listing it after every select item would only lengthen error messages.
        if (AtWord("AS"))
        {
            Advance();
            return ExpectIdentifier("alias");
        }

        return IsIdentifier(Current) && !NotAliases.Contains(Current.Text) ? Advance().Text : null;
    }

    /// <summary>A syntax error at the current token listing what was expected there.</summary>
    private SqlParseException Fail()
    {
        var expected = _expectedAt == _pos ? _expected.ToArray() : [];
        var reason = $"[PARSE_SYNTAX_ERROR] Syntax error at or near {Describe(Current)}";
        if (expected.Length == 1)
        {
            reason += $": expected {expected[0]}";
        }
        else if (expected.Length > 1)
        {
            reason += $": expected one of {string.Join(", ", expected)}";
        }

        return new SqlParseException(reason, Current.Line, Current.Column, _sourceName, expected, Found(Current));
    }

    /// <summary>An error about a specific token (an unsupported construct, a bad literal).</summary>
    private SqlParseException ErrorAt(SqlToken token, string reason) =>
        new(reason, token.Line, token.Column, _sourceName, found: Found(token));

    private string? Found(SqlToken token) => token.Kind == SqlTokenKind.End ? null : _source[token.Start..token.End];

    private string Describe(SqlToken token)
    {
        var found = Found(token);
        return found is null ? "end of input" : $"'{(found.Length > 40 ? found[..40] + "…" : found)}'";
    }
}
