using System.Globalization;
using System.Text;

namespace OrleansStreams.Engine.Sql;

/// <summary>
/// Splits a span of SQL text into tokens, skipping whitespace and comments (<c>--</c> to the end
/// of the line, nestable <c>/* */</c>). String escapes follow Spark: <c>\n</c>, <c>\t</c>,
/// <c>\uXXXX</c>, octal <c>\101</c>, and <c>\%</c>/<c>\_</c> are kept as written for LIKE patterns.
/// </summary>
internal sealed class SqlLexer
{
    // Longest first, so "<=>" wins over "<=" and "<".
    private static readonly string[] Symbols =
    [
        "<=>", "<=", ">=", "<>", "!=", "==", "=>", "::", "||",
        "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".", ";", "@", "[", "]", ":", "!", "&", "|", "^", "~",
    ];

    private readonly string _text;
    private readonly int _end;
    private readonly string? _sourceName;
    private int _pos;
    private int _line;
    private int _column;
    private SqlToken _previous;

    public SqlLexer(string text, int start, int end, int line, int column, string? sourceName)
    {
        _text = text;
        _pos = start;
        _end = end;
        _line = line;
        _column = column;
        _sourceName = sourceName;
        _previous = new SqlToken(SqlTokenKind.End, string.Empty, start, start, line, column); // nothing read yet
    }

    public List<SqlToken> ReadAll(SqlToken? first = null)
    {
        var tokens = new List<SqlToken>();
        if (first is { } f)
        {
            tokens.Add(f);
        }

        while (true)
        {
            var token = Next();
            tokens.Add(token);
            if (token.Kind == SqlTokenKind.End)
            {
                return tokens;
            }
        }
    }

    public SqlToken Next()
    {
        SkipWhitespaceAndComments();
        var (start, line, column) = (_pos, _line, _column);
        if (_pos >= _end)
        {
            return _previous = new SqlToken(SqlTokenKind.End, string.Empty, start, start, line, column);
        }

        var c = _text[_pos];
        SqlTokenKind kind;
        string text;
        if ((c is 'x' or 'X') && Peek(1) == '\'')
        {
            Advance(1);
            (kind, text) = (SqlTokenKind.Binary, ReadString(start, line, column));
        }
        else if (c is '\'' or '"')
        {
            (kind, text) = (SqlTokenKind.String, ReadString(start, line, column));
        }
        else if (c == '`')
        {
            (kind, text) = (SqlTokenKind.QuotedIdentifier, ReadQuotedIdentifier(line, column));
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1)) && !FollowsOperand()))
        {
            (kind, text) = ReadNumberOrWord(start, line, column);
        }
        else if (IsWordChar(c))
        {
            while (_pos < _end && IsWordChar(_text[_pos]))
            {
                Advance(1);
            }

            (kind, text) = (SqlTokenKind.Word, _text[start.._pos]);
        }
        else
        {
            text = Symbols.FirstOrDefault(s => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0 && _pos + s.Length <= _end)
                ?? throw Error($"[PARSE_SYNTAX_ERROR] Unexpected character '{c}'", line, column);
            Advance(text.Length);
            kind = SqlTokenKind.Symbol;
        }

        return _previous = new SqlToken(kind, text, start, _pos, line, column);
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // ".5" is a number, but in "t.5" or "f(x).5" the dot is a qualifier.
    private bool FollowsOperand() =>
        _previous.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier || _previous.IsSymbol(")") || _previous.IsSymbol("]");

    private char Peek(int ahead) => _pos + ahead < _end ? _text[_pos + ahead] : '\0';

    private void Advance(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }

            _pos++;
        }
    }

    private void SkipWhitespaceAndComments()
    {
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (char.IsWhiteSpace(c))
            {
                Advance(1);
            }
            else if (c == '-' && Peek(1) == '-')
            {
                while (_pos < _end && _text[_pos] != '\n')
                {
                    Advance(1);
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlockComment()
    {
        var (line, column) = (_line, _column);
        var depth = 0;
        while (_pos < _end)
        {
            if (_text[_pos] == '/' && Peek(1) == '*')
            {
                depth++;
                Advance(2);
            }
            else if (_text[_pos] == '*' && Peek(1) == '/')
            {
                depth--;
                Advance(2);
                if (depth == 0)
                {
                    return;
                }
            }
            else
            {
                Advance(1);
            }
        }

        throw Error("[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment", line, column);
    }

    private string ReadString(int start, int line, int column)
    {
        var quote = _text[_pos];
        Advance(1);
        var value = new StringBuilder();
        while (_pos < _end)
        {
            var c = _text[_pos];
            if (c == quote)
            {
                Advance(1);
                return value.ToString();
            }

            if (c == '\\' && _pos + 1 < _end)
            {
                ReadEscape(value);
            }
            else
            {
                value.Append(c);
                Advance(1);
            }
        }

        throw Error($"[PARSE_SYNTAX_ERROR] The string literal {_text.Substring(start, Math.Min(20, _end - start))}… is not closed", line, column);
    }

    private void ReadEscape(StringBuilder value)
    {
        var next = _text[_pos + 1];
        if (next == 'u' && _pos + 6 <= _end && IsHex(_text.AsSpan(_pos + 2, 4)))
        {
            value.Append((char)int.Parse(_text.AsSpan(_pos + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Advance(6);
            return;
        }

        if (next is >= '0' and <= '3' && _pos + 4 <= _end && IsOctal(_text.AsSpan(_pos + 1, 3)))
        {
            value.Append((char)Convert.ToInt32(_text.Substring(_pos + 1, 3), 8));
            Advance(4);
            return;
        }

        value.Append(next switch
        {
            '0' => "\0",
            'b' => "\b",
            'n' => "\n",
            'r' => "\r",
            't' => "\t",
            'Z' => "\u001A",
            '%' => "\\%",
            '_' => "\\_",
            _ => next.ToString(),
        });
        Advance(2);
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOctal(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }

    private string ReadQuotedIdentifier(int line, int column)
    {
        Advance(1);
        var name = new StringBuilder();
        while (_pos < _end)
        {
            if (_text[_pos] == '`')
            {
                if (Peek(1) != '`')
                {
                    Advance(1);
                    return name.ToString();
                }

                Advance(1); // `` is an escaped back-quote
            }

            name.Append(_text[_pos]);
            Advance(1);
        }

        throw Error("[PARSE_SYNTAX_ERROR] Unterminated back-quoted identifier", line, column);
    }

    // digits [. digits] [e [+-] digits] [suffix]; a run like "1st" is an identifier, as in Spark.
    private (SqlTokenKind, string) ReadNumberOrWord(int start, int line, int column)
    {
        SkipDigits();
        var hasDot = false;
        if (_pos < _end && _text[_pos] == '.')
        {
            hasDot = true;
            Advance(1);
            SkipDigits();
        }

        if (_pos < _end && _text[_pos] is 'e' or 'E'
            && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            Advance(Peek(1) is '+' or '-' ? 2 : 1);
            SkipDigits();
        }

        if (_pos < _end && (_text[_pos] == '.' || (_text[_pos] is 'e' or 'E' && Peek(1) is '+' or '-')))
        {
            while (_pos < _end && (IsWordChar(_text[_pos]) || _text[_pos] is '.' or '+' or '-'))
            {
                Advance(1);
            }

            throw Error($"[PARSE_SYNTAX_ERROR] Invalid number '{_text[start.._pos]}'", line, column);
        }

        var suffixStart = _pos;
        while (_pos < _end && IsWordChar(_text[_pos]))
        {
            Advance(1);
        }

        var suffix = _text[suffixStart.._pos].ToUpperInvariant();
        if (suffix is "" or "L" or "S" or "Y" or "D" or "F" or "BD")
        {
            return (SqlTokenKind.Number, _text[start.._pos]);
        }

        if (hasDot || _text[start] == '.')
        {
            throw Error($"[PARSE_SYNTAX_ERROR] Invalid number '{_text[start.._pos]}'", line, column);
        }

        return (SqlTokenKind.Word, _text[start.._pos]);
    }

    private void SkipDigits()
    {
        while (_pos < _end && char.IsAsciiDigit(_text[_pos]))
        {
            Advance(1);
        }
    }

    private SqlParseException Error(string reason, int line, int column) => new(reason, line, column, _sourceName);
}
