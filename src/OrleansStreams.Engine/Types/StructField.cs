namespace OrleansStreams.Engine.Types;

/// <summary>
/// One named field of a struct or schema. <see cref="Metadata"/> carries Delta's field
/// metadata (the DDL <c>COMMENT</c> is stored under <c>comment</c>, as Spark does).
/// </summary>
public sealed record StructField
{
    public StructField(string name, DataType type, bool nullable = true, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Type = type;
        Nullable = nullable;
        Metadata = metadata ?? EmptyMetadata;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();

    public string Name { get; }

    public DataType Type { get; }

    public bool Nullable { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public string? Comment => Metadata.TryGetValue("comment", out var c) ? c : null;

    public StructField WithName(string name) => new(name, Type, Nullable, Metadata);

    public StructField WithType(DataType type) => new(Name, type, Nullable, Metadata);

    public StructField WithNullable(bool nullable) => new(Name, Type, nullable, Metadata);

    public bool Equals(StructField? other) =>
        other is not null
        && Name == other.Name
        && Nullable == other.Nullable
        && Type.Equals(other.Type)
        && Metadata.Count == other.Metadata.Count
        && Metadata.All(kv => other.Metadata.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Nullable);

    public override string ToString() => $"{Name}: {Type.SimpleString}{(Nullable ? string.Empty : " not null")}";
}
