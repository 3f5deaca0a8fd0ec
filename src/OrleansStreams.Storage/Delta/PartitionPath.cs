using System.Text;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Hive-style partition folders (<c>col=value/col2=value2</c>) with Spark's escaping
/// (<c>ExternalCatalogUtils.escapePathName</c>). Escaping <c>/</c> and <c>\</c> and prefixing every
/// segment with <c>col=</c> means a partition value can never name a parent folder or an absolute path.
/// </summary>
public static class PartitionPath
{
    /// <summary>The folder name Hive and Spark use for a null or empty partition value.</summary>
    public const string DefaultPartitionName = "__HIVE_DEFAULT_PARTITION__";

    private static readonly bool[] MustEscape = BuildEscapeTable();

    /// <summary>Escapes a path component as Spark does: each special character becomes <c>%XX</c> (uppercase hex).</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="Escape"/>: every <c>%XX</c> with two hex digits becomes its character; anything else stays.</summary>
    public static string Unescape(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && IsHex(path[i + 1]) && IsHex(path[i + 2]))
            {
                builder.Append((char)Convert.ToInt32(path.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                builder.Append(path[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The relative folder of one partition: <c>topic=orders/year_month=2022-01</c>. Null and empty
    /// values become <see cref="DefaultPartitionName"/>.
    /// </summary>
    public static string Build(IReadOnlyList<string> partitionColumns, IReadOnlyList<string?> values)
    {
        if (partitionColumns.Count != values.Count)
        {
            throw new ArgumentException($"{partitionColumns.Count} partition columns but {values.Count} values", nameof(values));
        }

        var builder = new StringBuilder();
        for (var i = 0; i < partitionColumns.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            builder.Append(Escape(partitionColumns[i])).Append('=');
            builder.Append(string.IsNullOrEmpty(values[i]) ? DefaultPartitionName : Escape(values[i]!));
        }

        return builder.ToString();
    }

    /// <summary>Same as <see cref="Build(IReadOnlyList{string}, IReadOnlyList{string?})"/> with values looked up by column.</summary>
    public static string Build(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> values) =>
        Build(partitionColumns, partitionColumns.Select(c => values.TryGetValue(c, out var v) ? v : null).ToArray());

    private static bool NeedsEscape(char c) => c < MustEscape.Length && MustEscape[c];

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static bool[] BuildEscapeTable()
    {
        var table = new bool[128];
        for (var c = 1; c <= 0x1F; c++)
        {
            table[c] = true;
        }

        foreach (var c in "\"#%'*/:=?\\\u007F{[]^")
        {
            table[c] = true;
        }

        return table;
    }
}
