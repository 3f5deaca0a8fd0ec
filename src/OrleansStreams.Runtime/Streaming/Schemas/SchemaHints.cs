using System.Text;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Streaming.Schemas;

/// <summary>
/// <c>cloudFiles.schemaHints</c>: a comma-separated list of <c>column TYPE</c> (names may be quoted with
/// backticks; <c>parent.child TYPE</c> reaches into a struct). A hinted column takes the hint's type; one the
/// inference did not find is added.
/// </summary>
public static class SchemaHints
{
    public static StructType Apply(StructType schema, string hints)
    {
        foreach (var (path, type) in Parse(hints))
        {
            schema = Apply(schema, path, 0, type);
        }

        return schema;
    }

    public static IReadOnlyList<(IReadOnlyList<string> Path, DataType Type)> Parse(string hints)
    {
        var result = new List<(IReadOnlyList<string>, DataType)>();
        foreach (var entry in SplitTopLevel(hints))
        {
            var (path, rest) = ReadName(entry);
            if (path.Count == 0 || rest.Trim().Length == 0)
            {
                throw new ArgumentException($"Option cloudFiles.schemaHints: '{entry.Trim()}' is not a 'column TYPE' hint");
            }

            try
            {
                result.Add((path, DdlParser.ParseType(rest.Trim())));
            }
            catch (SchemaParseException e)
            {
                throw new ArgumentException($"Option cloudFiles.schemaHints: the type of {string.Join('.', path)} is not valid: {e.Message}", e);
            }
        }

        return result;
    }

    private static StructType Apply(StructType schema, IReadOnlyList<string> path, int depth, DataType type)
    {
        var index = schema.IndexOf(path[depth]);
        if (depth == path.Count - 1)
        {
            return index < 0 ? schema.Add(new StructField(path[depth], type)) : Replace(schema, index, schema[index].WithType(type));
        }

        if (index < 0)
        {
            return schema.Add(new StructField(path[depth], Apply(StructType.Empty, path, depth + 1, type)));
        }

        if (schema[index].Type is not StructType inner)
        {
            throw new ArgumentException(
                $"Option cloudFiles.schemaHints: {string.Join('.', path)} reaches into {path[depth]}, which is {schema[index].Type.SimpleString}, not a struct; hint the whole column (e.g. {path[depth]} STRUCT<…>)");
        }

        return Replace(schema, index, schema[index].WithType(Apply(inner, path, depth + 1, type)));
    }

    private static StructType Replace(StructType schema, int index, StructField field) => new(schema.Fields.Select((f, i) => i == index ? field : f));

    /// <summary>Entries separated by commas outside of &lt;…&gt;, (…) and backticks.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '`':
                    quoted = !quoted;
                    break;
                case '<' or '(' when !quoted:
                    depth++;
                    break;
                case '>' or ')' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        if (text[start..].Trim().Length > 0)
        {
            yield return text[start..];
        }
    }

    /// <summary>The dotted (optionally backticked) column path at the start of an entry, and the rest (its type).</summary>
    private static (List<string> Path, string TypeText) ReadName(string entry)
    {
        var path = new List<string>();
        var i = 0;
        while (i < entry.Length && char.IsWhiteSpace(entry[i]))
        {
            i++;
        }

        var part = new StringBuilder();
        while (i < entry.Length && !char.IsWhiteSpace(entry[i]))
        {
            if (entry[i] == '`')
            {
                for (i++; i < entry.Length; i++)
                {
                    if (entry[i] == '`' && i + 1 < entry.Length && entry[i + 1] == '`')
                    {
                        part.Append('`');
                        i++;
                    }
                    else if (entry[i] == '`')
                    {
                        break;
                    }
                    else
                    {
                        part.Append(entry[i]);
                    }
                }
            }
            else if (entry[i] == '.')
            {
                path.Add(part.ToString());
                part.Clear();
            }
            else
            {
                part.Append(entry[i]);
            }

            i++;
        }

        if (part.Length > 0)
        {
            path.Add(part.ToString());
        }

        return (path, entry[i..]);
    }
}
