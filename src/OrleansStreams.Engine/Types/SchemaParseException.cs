namespace OrleansStreams.Engine.Types;

/// <summary>
/// A DDL schema or type string that could not be read. <see cref="Position"/> is the 0-based
/// character offset of the fault in <see cref="Text"/> (its length when the text ended too early).
/// </summary>
public sealed class SchemaParseException : FormatException
{
    public SchemaParseException(string message, string text, int position)
        : base(message)
    {
        Text = text;
        Position = position;
    }

    public string Text { get; }

    public int Position { get; }
}
