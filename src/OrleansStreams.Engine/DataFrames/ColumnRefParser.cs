using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;

namespace OrleansStreams.Engine.DataFrames;

/// <summary>
/// Splits a column name given to <c>Col</c> into its parts the way Spark does: dots separate
/// nested fields, and back-quotes protect a name that contains dots (<c>`a.b`.c</c>).
/// </summary>
internal static class ColumnRefParser
{
    public static ColumnRef Parse(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (ch == '`')
            {
                if (quoted && i + 1 < name.Length && name[i + 1] == '`')
                {
                    current.Append('`');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (ch == '.' && !quoted)
            {
                parts.Add(Take(current, name));
            }
            else
            {
                current.Append(ch);
            }
        }

        if (quoted)
        {
            throw new ArgumentException($"Syntax error in column name \"{name}\": unclosed back-quote", nameof(name));
        }

        parts.Add(Take(current, name));
        return new ColumnRef(parts.ToEquatableList());
    }

    private static string Take(System.Text.StringBuilder current, string name)
    {
        if (current.Length == 0)
        {
            throw new ArgumentException($"Syntax error in column name \"{name}\": empty name part", nameof(name));
        }

        var part = current.ToString();
        current.Clear();
        return part;
    }
}
