namespace OrleansStreams.Storage.Formats;

/// <summary>
/// Splits CSV text into records of fields: separator, quote and escape characters as configured,
/// quoted fields may hold separators and line breaks. Each field is a slice of the text or, when it
/// had escapes, a copy. A field's Quoted flag lets an empty quoted string differ from an empty field.
/// </summary>
internal static class CsvRecordSplitter
{
    public readonly record struct Field(ReadOnlyMemory<char> Text, bool Quoted);

    /// <summary>A record's fields, its first 1-based line, and its raw text (without the line break), for the corrupt record column.</summary>
    public readonly record struct Record(List<Field> Fields, long Line, ReadOnlyMemory<char> Text);

    public static IEnumerable<Record> Split(ReadOnlyMemory<char> text, FileFormatOptions options)
    {
        long line = 1;
        var position = 0;
        while (position < text.Length)
        {
            var start = line;
            var startPosition = position;
            var end = position;
            var fields = new List<Field>();
            var span = text.Span;
            if (span[position] is '\n' or '\r')
            {
                position += span[position] == '\r' && position + 1 < text.Length && span[position + 1] == '\n' ? 2 : 1;
                line++;
                continue; // blank line
            }

            while (true)
            {
                var (field, next, newLines) = ReadField(text, position, options);
                fields.Add(field);
                line += newLines;
                position = next;
                if (position >= text.Length || span[position] is '\n' or '\r')
                {
                    end = position;
                    if (position < text.Length)
                    {
                        position += span[position] == '\r' && position + 1 < text.Length && span[position + 1] == '\n' ? 2 : 1;
                        line++;
                    }

                    break;
                }

                position++; // the separator
            }

            yield return new Record(fields, start, text[startPosition..end]);
        }
    }

    private static (Field Field, int Next, int NewLines) ReadField(ReadOnlyMemory<char> text, int position, FileFormatOptions options)
    {
        var span = text.Span;
        if (position < span.Length && span[position] == options.Quote)
        {
            var builder = new System.Text.StringBuilder();
            var newLines = 0;
            var i = position + 1;
            while (i < span.Length)
            {
                var c = span[i];
                if (c == options.Escape && options.Escape != options.Quote && i + 1 < span.Length && span[i + 1] is var e && (e == options.Quote || e == options.Escape))
                {
                    builder.Append(e);
                    i += 2;
                }
                else if (c == options.Quote && i + 1 < span.Length && span[i + 1] == options.Quote)
                {
                    builder.Append(c); // "" inside quotes is one quote
                    i += 2;
                }
                else if (c == options.Quote)
                {
                    i++;
                    break;
                }
                else
                {
                    newLines += c == '\n' ? 1 : 0;
                    builder.Append(c);
                    i++;
                }
            }

            // Anything between the closing quote and the separator is kept, as Spark's parser does.
            var rest = i;
            while (rest < span.Length && span[rest] != options.Separator && span[rest] is not ('\n' or '\r'))
            {
                rest++;
            }

            builder.Append(span[i..rest]);
            return (new Field(builder.ToString().AsMemory(), true), rest, newLines);
        }

        var end = position;
        while (end < span.Length && span[end] != options.Separator && span[end] is not ('\n' or '\r'))
        {
            end++;
        }

        return (new Field(text[position..end], false), end, 0);
    }
}
