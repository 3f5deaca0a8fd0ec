using System.Text;
using System.Text.Json;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// A JSON value as the engine scalar of a Spark type (struct fields by exact name, arrays element by
/// element). A value that does not fit the type is NULL. Used by from_json and the JSON file reader.
/// </summary>
public static class JsonScalars
{
    /// <summary>The scalar, or null when the value is JSON null or does not fit <paramref name="type"/>.</summary>
    public static object? ToScalar(JsonElement value, DataType type, ZoneRules zone)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return type switch
        {
            StructType st when value.ValueKind == JsonValueKind.Object => st.Fields.Select(f =>
                value.EnumerateObject().FirstOrDefault(p => p.Name == f.Name) is { Value.ValueKind: not JsonValueKind.Undefined } p ? ToScalar(p.Value, f.Type, zone) : null).ToArray(),
            ArrayType at when value.ValueKind == JsonValueKind.Array => value.EnumerateArray().Select(e => ToScalar(e, at.ElementType, zone)).ToArray(),
            StringType => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
            BooleanType when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            ByteType when value.ValueKind == JsonValueKind.Number && value.TryGetSByte(out var b) => b,
            ShortType when value.ValueKind == JsonValueKind.Number && value.TryGetInt16(out var s) => s,
            IntegerType when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) => i,
            LongType when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) => l,
            FloatType when value.ValueKind == JsonValueKind.Number => value.GetSingle(),
            DoubleType when value.ValueKind == JsonValueKind.Number => value.GetDouble(),
            DecimalType when value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var m) => m,
            DateType when value.ValueKind == JsonValueKind.String && DateTimeParser.TryParseDate(Encoding.UTF8.GetBytes(value.GetString()!), out var days) => days,
            TimestampType when value.ValueKind == JsonValueKind.String && DateTimeParser.TryParseTimestamp(Encoding.UTF8.GetBytes(value.GetString()!), zone, out var micros) => micros,
            BinaryType when value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes) => bytes,
            _ => null,
        };
    }
}
