using System.Globalization;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Serialization;

/// <summary>
/// Reads the primitive type names <see cref="DataType.SimpleString"/> writes (and their Delta JSON
/// aliases) plus <c>decimal(p,s)</c>. Nested types belong to the DDL parser.
/// </summary>
public static class TypeNameReader
{
    public static DataType Parse(string name)
    {
        var text = name.Trim().ToLowerInvariant();
        DataType? type = text switch
        {
            "void" or "null" => NullType.Instance,
            "string" => StringType.Instance,
            "binary" => BinaryType.Instance,
            "boolean" => BooleanType.Instance,
            "tinyint" or "byte" => ByteType.Instance,
            "smallint" or "short" => ShortType.Instance,
            "int" or "integer" => IntegerType.Instance,
            "bigint" or "long" => LongType.Instance,
            "float" => FloatType.Instance,
            "double" => DoubleType.Instance,
            "date" => DateType.Instance,
            "timestamp" => TimestampType.Instance,
            "timestamp_ntz" => TimestampNtzType.Instance,
            "decimal" => DecimalType.Default,
            _ => null,
        };
        if (type is not null)
        {
            return type;
        }

        if (text.StartsWith("decimal(", StringComparison.Ordinal) && text.EndsWith(')'))
        {
            var parts = text["decimal(".Length..^1].Split(',');
            if (parts.Length is 1 or 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var precision)
                && (parts.Length == 1 ? 0 : int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1) is var scale and >= 0)
            {
                return new DecimalType(precision, scale);
            }
        }

        throw new FormatException($"unsupported type name '{name}' (expected a primitive type or decimal(p,s); nested types need the DDL parser)");
    }
}
