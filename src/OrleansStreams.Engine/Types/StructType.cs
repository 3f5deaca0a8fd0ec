using System.Collections;

namespace OrleansStreams.Engine.Types;

/// <summary>
/// A struct type, which is also how a schema is represented. Field lookup by name is
/// case-insensitive, like Spark's default analyzer; names keep the case they were given.
/// </summary>
public sealed record StructType : DataType, IReadOnlyList<StructField>
{
    private readonly StructField[] _fields;

    public StructType(IEnumerable<StructField> fields)
    {
        // Like Spark's, a schema may repeat a name (a join's output); writers check with DuplicateNames.
        _fields = fields.ToArray();
    }

    /// <summary>Names that occur more than once (case-insensitively), which a table cannot hold.</summary>
    public IReadOnlyList<string> DuplicateNames() =>
        _fields.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

    public StructType(params StructField[] fields)
        : this((IEnumerable<StructField>)fields)
    {
    }

    public static readonly StructType Empty = new(Array.Empty<StructField>());

    public IReadOnlyList<StructField> Fields => _fields;

    public int Count => _fields.Length;

    public StructField this[int index] => _fields[index];

    public IEnumerable<string> FieldNames => _fields.Select(f => f.Name);

    public override string SimpleString => $"struct<{string.Join(",", _fields.Select(f => $"{f.Name}:{f.Type.SimpleString}"))}>";

    /// <summary>Position of a field (case-insensitive), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (string.Equals(_fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public StructField? Find(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : _fields[i];
    }

    public StructField Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"no field '{name}' in {SimpleString}");

    public StructType Add(StructField field) => new(_fields.Append(field));

    /// <summary>The schema as a DDL string (<c>`a` INT NOT NULL, `b` STRING</c>) that the DDL parser reads back.</summary>
    public string ToDdl() => string.Join(", ", _fields.Select(f => DdlField(f, " ")));

    /// <param name="separator">Between name and type: a space at the top level, ": " inside STRUCT&lt;…&gt;.</param>
    private static string DdlField(StructField f, string separator)
    {
        var ddl = $"{QuoteIdentifier(f.Name)}{separator}{ToDdlType(f.Type)}";
        if (!f.Nullable)
        {
            ddl += " NOT NULL";
        }

        if (f.Comment is { } comment)
        {
            ddl += $" COMMENT '{comment.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";
        }

        return ddl;
    }

    /// <summary>A type in DDL form, with struct field names quoted.</summary>
    public static string ToDdlType(DataType type) => type switch
    {
        StructType s => $"STRUCT<{string.Join(", ", s._fields.Select(f => DdlField(f, ": ")))}>",
        ArrayType a => $"ARRAY<{ToDdlType(a.ElementType)}>",
        MapType m => $"MAP<{ToDdlType(m.KeyType)}, {ToDdlType(m.ValueType)}>",
        _ => type.SimpleString.ToUpperInvariant(),
    };

    public static string QuoteIdentifier(string name) => $"`{name.Replace("`", "``", StringComparison.Ordinal)}`";

    public bool Equals(StructType? other) => other is not null && _fields.AsSpan().SequenceEqual(other._fields);

    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (var f in _fields)
        {
            h.Add(f);
        }

        return h.ToHashCode();
    }

    public IEnumerator<StructField> GetEnumerator() => ((IEnumerable<StructField>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _fields.GetEnumerator();
}
