namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// A pipeline that cannot run as written, or a table of it that failed. The message starts with the place
/// at fault (<c>file:line[:column]</c>) when there is one.
/// </summary>
public sealed class PipelineException : Exception
{
    /// <summary>A pipeline error; the message is prefixed with the place at fault.</summary>
    /// <param name="message">What is wrong, without the place.</param>
    /// <param name="sourceName">The pipeline file, when known.</param>
    /// <param name="line">The 1-based line at fault, when known.</param>
    /// <param name="column">The 1-based column at fault, when known.</param>
    /// <param name="inner">The error that caused this one.</param>
    public PipelineException(string message, string? sourceName = null, int? line = null, int? column = null, Exception? inner = null)
        : base(Prefix(sourceName, line, column) + message, inner)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
    }

    /// <summary>The pipeline file at fault, when known.</summary>
    public string? SourceName { get; }

    /// <summary>The 1-based line at fault, when known.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column at fault, when known.</summary>
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
