using System.Globalization;
using System.Text;

namespace OrleansStreams.Engine.Types;

/// <summary>
/// Splits a DDL string into tokens: words, back-quoted identifiers, quoted strings and the
/// punctuation of type syntax. Whitespace separates tokens and is dropped.
/// </summary>
internal static class DdlTokenizer
{
    private const string Symbols = "<>(),:";

    /// <param name="what">How errors name the text ("schema" or "data type").</param>
    public static List<DdlToken> Tokenize(string text, string what)
    {
        var tokens = new List<DdlToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new DdlToken(DdlTokenKind.End, string.Empty, text.Length));
                return tokens;
            }

            var c = text[i];
            if (IsWordChar(c))
            {
                var start = i;
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }

                tokens.Add(new DdlToken(DdlTokenKind.Word, text[start..i], start));
            }
            else if (c == '`')
            {
                tokens.Add(ReadQuotedIdentifier(text, what, ref i));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(text, what, ref i));
            }
            else if (Symbols.Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new DdlToken(DdlTokenKind.Symbol, c.ToString(), i));
                i++;
            }
            else
            {
                throw DdlErrors.Syntax(text, what, i, $"unexpected character '{c}'");
            }
        }
    }

    // Spark's identifiers are letters, digits and underscores, and may start with a digit.
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Reads <c>`name`</c>, where a doubled backtick stands for one backtick.</summary>
    private static DdlToken ReadQuotedIdentifier(string text, string what, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw DdlErrors.Syntax(text, what, start, "unterminated back-quoted identifier (expected a closing '`')");
            }

            if (text[i] == '`')
            {
                if (i + 1 < text.Length && text[i + 1] == '`')
                {
                    value.Append('`');
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            value.Append(text[i]);
            i++;
        }

        if (value.Length == 0)
        {
            throw DdlErrors.Syntax(text, what, start, "empty back-quoted identifier ``");
        }

        return new DdlToken(DdlTokenKind.QuotedIdentifier, value.ToString(), start);
    }

    /// <summary>Reads a '…' or "…" string with SQL backslash escapes (\n, \t, \uXXXX, \' …).</summary>
    private static DdlToken ReadString(string text, string what, ref int i)
    {
        var start = i;
        var quote = text[i];
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw DdlErrors.Syntax(text, what, start, $"unterminated string (expected a closing {quote})");
            }

            var c = text[i];
            if (c == quote)
            {
                i++;
                return new DdlToken(DdlTokenKind.String, value.ToString(), start);
            }

            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw DdlErrors.Syntax(text, what, start, $"unterminated string (expected a closing {quote})");
            }

            var escaped = text[i + 1];
            i += 2;
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'b': value.Append('\b'); break;
                case '0': value.Append('\0'); break;
                case 'Z': value.Append('\u001A'); break;
                case 'u':
                    if (i + 4 > text.Length || !int.TryParse(text.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw DdlErrors.Syntax(text, what, i - 2, "invalid unicode escape (expected \\u followed by 4 hex digits)");
                    }

                    value.Append((char)code);
                    i += 4;
                    break;
                default: value.Append(escaped); break; // \' \" \\ and any other character stand for themselves
            }
        }
    }
}
