using System.Text.Json;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The type changes the typeWidening feature allows (PROTOCOL.md, "Type Widening"), and the check a
/// reader owes on a table's <c>delta.typeChanges</c> field metadata: every recorded change must be one
/// this reader widens (the Parquet leaf decoder converts old files' narrower values).
/// </summary>
public static class TypeChanges
{
    public const string MetadataKey = "delta.typeChanges";

    /// <summary>Whether values written as <paramref name="from"/> may be read as <paramref name="to"/>.</summary>
    public static bool IsSupported(DataType from, DataType to) => (from, to) switch
    {
        (ByteType, ShortType or IntegerType or LongType or DoubleType) => true,
        (ShortType, IntegerType or LongType or DoubleType) => true,
        (IntegerType, LongType or DoubleType) => true,
        (FloatType, DoubleType) => true,
        (DateType, TimestampNtzType) => true,
        (ByteType or ShortType or IntegerType, DecimalType d) => DecimalFits(10, 0, d),
        (LongType, DecimalType d) => DecimalFits(20, 0, d),
        (DecimalType a, DecimalType b) => DecimalFits(a.Precision, a.Scale, b),
        _ => false,
    };

    /// <summary>The changes recorded in a table's schema that this reader cannot apply, as "column: from -> to".</summary>
    public static IReadOnlyList<string> Unsupported(StructType schema)
    {
        var refused = new List<string>();
        Collect(schema, string.Empty, refused);
        return refused;
    }

    // Decimal(p, s) -> Decimal(p + k1, s + k2) with k1 >= k2 >= 0: the integer digits never shrink.
    private static bool DecimalFits(int precision, int scale, DecimalType to) =>
        to.Scale >= scale && to.Precision - to.Scale >= precision - scale;

    private static void Collect(DataType type, string prefix, List<string> refused)
    {
        switch (type)
        {
            case StructType s:
                foreach (var field in s.Fields)
                {
                    var path = prefix + field.Name;
                    if (field.Metadata.TryGetValue(MetadataKey, out var changes))
                    {
                        CheckField(path, changes, refused);
                    }

                    Collect(field.Type, path + ".", refused);
                }

                break;
            case ArrayType a:
                Collect(a.ElementType, prefix, refused);
                break;
            case MapType m:
                Collect(m.KeyType, prefix, refused);
                Collect(m.ValueType, prefix, refused);
                break;
        }
    }

    private static void CheckField(string path, string changes, List<string> refused)
    {
        try
        {
            using var document = JsonDocument.Parse(changes);
            foreach (var change in document.RootElement.EnumerateArray())
            {
                var from = SchemaJson.ParseType(change.GetProperty("fromType"));
                var to = SchemaJson.ParseType(change.GetProperty("toType"));
                if (!IsSupported(from, to))
                {
                    var at = change.TryGetProperty("fieldPath", out var fieldPath) ? $"{path}.{fieldPath.GetString()}" : path;
                    refused.Add($"{at}: {from.SimpleString} -> {to.SimpleString}");
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            refused.Add($"{path}: unreadable {MetadataKey} ({e.Message})");
        }
    }
}
