using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Sql;

/// <summary>A possibly qualified table or view name: <c>t</c>, <c>db.t</c>, <c>delta.`/data/t`</c>.</summary>
public sealed record QualifiedName(EquatableList<string> Parts)
{
    // Spark reads `format`.`path` as "the table stored at path" for file-based formats.
    private static readonly HashSet<string> PathFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        "delta", "parquet", "json", "csv", "text", "orc", "avro", "binaryFile",
    };

    public QualifiedName(params string[] parts)
        : this(new EquatableList<string>(parts))
    {
    }

    /// <summary>The unqualified name (the last part).</summary>
    public string Name => Parts[^1];

    /// <summary>
    /// True for a path table such as <c>delta.`/data/t`</c>: two parts, the first a file format and
    /// the second something that looks like a path (it contains <c>/</c>, <c>\</c> or <c>:</c>).
    /// </summary>
    public bool TryGetPath(out string format, out string path)
    {
        if (Parts.Count == 2 && PathFormats.Contains(Parts[0]) && Parts[1].AsSpan().IndexOfAny('/', '\\', ':') >= 0)
        {
            (format, path) = (Parts[0].ToLowerInvariant(), Parts[1]);
            return true;
        }

        (format, path) = (string.Empty, string.Empty);
        return false;
    }

    public override string ToString() => string.Join(".", Parts.Select(p => IsPlain(p) ? p : StructType.QuoteIdentifier(p)));

    private static bool IsPlain(string part) => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

/// <summary>A <c>key =&gt; value</c> argument of <c>read_files</c> or a <c>'key' = 'value'</c> table property; values are kept as text, as Spark options are.</summary>
public sealed record SqlOption(string Key, string Value);
