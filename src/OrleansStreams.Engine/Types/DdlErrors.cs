namespace OrleansStreams.Engine.Types;

/// <summary>Builds the positioned error messages of the DDL tokenizer and parser.</summary>
internal static class DdlErrors
{
    // Long schemas are quoted as a window around the fault so the message stays readable.
    private const int MaxQuoted = 200;
    private const int Window = 60;

    public static SchemaParseException Syntax(string text, string what, int position, string detail) =>
        new($"Syntax error at position {position} in {what} \"{Quote(text, position)}\": {detail}", text, position);

    public static SchemaParseException Expected(string text, string what, string expected, DdlToken found) =>
        Syntax(text, what, found.Position, $"expected {expected} but found {found.Describe()}");

    public static SchemaParseException Invalid(string text, string what, int position, string detail) =>
        new($"Invalid {what} \"{Quote(text, position)}\" at position {position}: {detail}", text, position);

    private static string Quote(string text, int position)
    {
        if (text.Length <= MaxQuoted)
        {
            return text;
        }

        var start = Math.Max(0, position - Window);
        var end = Math.Min(text.Length, position + Window);
        return (start > 0 ? "…" : string.Empty) + text[start..end] + (end < text.Length ? "…" : string.Empty);
    }
}
