namespace OrleansStreams.Engine.Sql;

/// <summary>
/// SQL that cannot be parsed. The message says where (source name, line, column; all 1-based),
/// what was found there and what the parser expected instead.
/// </summary>
public sealed class SqlParseException : FormatException
{
    public SqlParseException(string reason, int line, int column, string? sourceName = null, IReadOnlyList<string>? expected = null, string? found = null)
        : base(FormatMessage(reason, line, column, sourceName))
    {
        Reason = reason;
        Line = line;
        Column = column;
        SourceName = sourceName;
        Expected = expected ?? Array.Empty<string>();
        Found = found;
    }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The file (or other source) the SQL came from, when the caller named it.</summary>
    public string? SourceName { get; }

    /// <summary>What the parser would have accepted at the error position (e.g. <c>FROM</c>, <c>')'</c>).</summary>
    public IReadOnlyList<string> Expected { get; }

    /// <summary>The token found at the error position, as written; null at the end of the input.</summary>
    public string? Found { get; }

    private static string FormatMessage(string reason, int line, int column, string? sourceName) =>
        sourceName is null
            ? $"{reason} (line {line}, column {column})"
            : $"{sourceName}:{line}:{column}: {reason}";
}
