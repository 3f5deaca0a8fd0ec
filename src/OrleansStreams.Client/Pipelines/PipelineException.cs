namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// A pipeline that cannot run as written, or a table of it that failed. The message starts with the place
/// at fault (<c>file:line[:column]</c>) when there is one.
/// </summary>
public sealed class PipelineException : Exception
{
    public PipelineException(string message, string? sourceName = null, int? line = null, int? column = null, Exception? inner = null)
        : base(Prefix(sourceName, line, column) + message, inner)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
    }

    public string? SourceName { get; }

    public int? Line { get; }

    public int? Column { get; }

    private static string Prefix(string? source, int? line, int? column) => (source, line, column) switch
    {
        (null, null, _) => string.Empty,
        (null, { } l, null) => $"line {l}: ",
        (null, { } l, { } c) => $"line {l}:{c}: ",
        ({ } s, null, _) => $"{s}: ",
        ({ } s, { } l, null) => $"{s}:{l}: ",
        ({ } s, { } l, { } c) => $"{s}:{l}:{c}: ",
    };
}
