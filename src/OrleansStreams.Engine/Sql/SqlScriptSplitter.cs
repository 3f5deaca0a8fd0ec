namespace OrleansStreams.Engine.Sql;

/// <summary>One statement's span in a script: <c>[Start, End)</c> excludes the terminating <c>;</c>.</summary>
internal readonly record struct ScriptSegment(int Start, int End, int Line, int Column);

/// <summary>
/// Cuts a SQL script at top-level semicolons. Semicolons inside '…', "…" and `…` quotes and inside
/// <c>--</c> and <c>/* */</c> comments do not count. Quoting rules match <see cref="SqlLexer"/>;
/// malformed text (an unterminated string) is left for the lexer to report with its position.
/// </summary>
internal static class SqlScriptSplitter
{
    public static List<ScriptSegment> Split(string text)
    {
        var segments = new List<ScriptSegment>();
        int start = 0, line = 1, column = 1, startLine = 1, startColumn = 1;
        var i = 0;

        void Step()
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }

            i++;
        }

        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == ';')
            {
                segments.Add(new ScriptSegment(start, i, startLine, startColumn));
                Step();
                (start, startLine, startColumn) = (i, line, column);
            }
            else if (c is '\'' or '"' or '`')
            {
                Step();
                while (i < text.Length && text[i] != c)
                {
                    if (c != '`' && text[i] == '\\' && i + 1 < text.Length)
                    {
                        Step(); // the escaped character cannot close the string
                    }

                    Step();
                }

                if (i < text.Length)
                {
                    Step();
                }
            }
            else if (c == '-' && next == '-')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    Step();
                }
            }
            else if (c == '/' && next == '*')
            {
                SkipBlockComment();
            }
            else
            {
                Step();
            }
        }

        segments.Add(new ScriptSegment(start, text.Length, startLine, startColumn));
        return segments;

        void SkipBlockComment()
        {
            var depth = 0;
            while (i < text.Length)
            {
                if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    depth++;
                    Step();
                }
                else if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    depth--;
                    Step();
                    if (depth == 0)
                    {
                        Step();
                        return;
                    }
                }

                Step();
            }
        }
    }
}
