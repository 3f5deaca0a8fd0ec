using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansStreams.Engine.Types;

/// <summary>
/// Spark's StructType JSON, which Delta stores as <c>metaData.schemaString</c> (PROTOCOL.md,
/// "Schema Serialization Format"): <c>{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]}</c>.
/// Primitives are strings (<c>"long"</c>, <c>"decimal(10,2)"</c>); arrays, maps and structs are objects.
/// </summary>
public static partial class SchemaJson
{
    // Relaxed escaping keeps names and comments readable (no \u003C for '<'), as Spark's writer does.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(StructType schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteType(writer, schema);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses a schema string; the top-level type must be a struct.</summary>
    public static StructType Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Delta schema is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            return ParseType(document.RootElement) as StructType
                ?? throw Error("$", $"the schema must be a struct type, found {document.RootElement.GetRawText()}");
        }
    }

    /// <summary>Parses one type: a primitive name string or an array/map/struct object.</summary>
    public static DataType ParseType(JsonElement element) => ParseType(element, "$");

    private static void WriteType(Utf8JsonWriter writer, DataType type)
    {
        switch (type)
        {
            case StructType s:
                writer.WriteStartObject();
                writer.WriteString("type", "struct");
                writer.WriteStartArray("fields");
                foreach (var field in s)
                {
                    WriteField(writer, field);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case ArrayType a:
                writer.WriteStartObject();
                writer.WriteString("type", "array");
                writer.WritePropertyName("elementType");
                WriteType(writer, a.ElementType);
                writer.WriteBoolean("containsNull", a.ContainsNull);
                writer.WriteEndObject();
                break;
            case MapType m:
                writer.WriteStartObject();
                writer.WriteString("type", "map");
                writer.WritePropertyName("keyType");
                WriteType(writer, m.KeyType);
                writer.WritePropertyName("valueType");
                WriteType(writer, m.ValueType);
                writer.WriteBoolean("valueContainsNull", m.ValueContainsNull);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(type.JsonName);
                break;
        }
    }

    private static void WriteField(Utf8JsonWriter writer, StructField field)
    {
        writer.WriteStartObject();
        writer.WriteString("name", field.Name);
        writer.WritePropertyName("type");
        WriteType(writer, field.Type);
        writer.WriteBoolean("nullable", field.Nullable);
        writer.WriteStartObject("metadata");
        var rawJson = field.Metadata as FieldMetadata;
        foreach (var (key, value) in field.Metadata)
        {
            writer.WritePropertyName(key);
            if (rawJson?.IsRawJson(key) == true)
            {
                writer.WriteRawValue(value);
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static DataType ParseType(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => ParsePrimitive(element.GetString()!, path),
        JsonValueKind.Object => ParseComplex(element, path),
        _ => throw Error(path, $"expected a type name or a type object, found {element.GetRawText()}"),
    };

    private static DataType ParsePrimitive(string name, string path)
    {
        switch (name)
        {
            case "string": return StringType.Instance;
            case "binary": return BinaryType.Instance;
            case "boolean": return BooleanType.Instance;
            case "byte": return ByteType.Instance;
            case "short": return ShortType.Instance;
            case "integer": return IntegerType.Instance;
            case "long": return LongType.Instance;
            case "float": return FloatType.Instance;
            case "double": return DoubleType.Instance;
            case "date": return DateType.Instance;
            case "timestamp": return TimestampType.Instance;
            case "timestamp_ntz": return TimestampNtzType.Instance;
            case "void" or "null": return NullType.Instance;
            case "decimal": return DecimalType.Default;
        }

        var match = DecimalPattern().Match(name);
        if (!match.Success)
        {
            throw Error(path, $"unknown data type \"{name}\"");
        }

        var precision = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var scale = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        if (precision is < 1 or > DecimalType.MaxPrecision || scale > precision)
        {
            throw Error(path, $"invalid decimal type \"{name}\": precision must be 1 to {DecimalType.MaxPrecision} and scale at most the precision");
        }

        return new DecimalType(precision, scale);
    }

    private static DataType ParseComplex(JsonElement element, string path)
    {
        var typeName = RequiredString(element, "type", path);
        switch (typeName)
        {
            case "struct":
                {
                    var fieldsPath = $"{path}.fields";
                    var fields = Required(element, "fields", path);
                    if (fields.ValueKind != JsonValueKind.Array)
                    {
                        throw Error(fieldsPath, $"expected an array of fields, found {fields.GetRawText()}");
                    }

                    var parsed = new List<StructField>();
                    var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    var i = 0;
                    foreach (var field in fields.EnumerateArray())
                    {
                        var fieldPath = $"{fieldsPath}[{i++}]";
                        var parsedField = ParseField(field, fieldPath);
                        if (!names.Add(parsedField.Name))
                        {
                            throw Error(fieldPath, $"duplicate field name \"{parsedField.Name}\"");
                        }

                        parsed.Add(parsedField);
                    }

                    return new StructType(parsed);
                }

            case "array":
                return new ArrayType(
                    ParseType(Required(element, "elementType", path), $"{path}.elementType"),
                    OptionalBool(element, "containsNull", path));
            case "map":
                return new MapType(
                    ParseType(Required(element, "keyType", path), $"{path}.keyType"),
                    ParseType(Required(element, "valueType", path), $"{path}.valueType"),
                    OptionalBool(element, "valueContainsNull", path));
            default:
                throw Error($"{path}.type", $"unknown data type \"{typeName}\"");
        }
    }

    private static StructField ParseField(JsonElement field, string path)
    {
        if (field.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected a field object, found {field.GetRawText()}");
        }

        var name = RequiredString(field, "name", path);
        if (name.Length == 0)
        {
            throw Error($"{path}.name", "a field name must not be empty");
        }

        var type = ParseType(Required(field, "type", path), $"{path}.type");
        var nullable = OptionalBool(field, "nullable", path);
        return new StructField(name, type, nullable, ParseMetadata(field, path));
    }

    private static FieldMetadata? ParseMetadata(JsonElement field, string path)
    {
        if (!field.TryGetProperty("metadata", out var metadata) || metadata.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw Error($"{path}.metadata", $"expected an object, found {metadata.GetRawText()}");
        }

        var entries = metadata.EnumerateObject()
            .Select(p => p.Value.ValueKind == JsonValueKind.String
                ? (p.Name, p.Value.GetString()!, false)
                : (p.Name, p.Value.GetRawText(), true))
            .ToList();
        var duplicate = entries.GroupBy(e => e.Item1, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Error($"{path}.metadata", $"duplicate key \"{duplicate.Key}\"");
        }

        return entries.Count == 0 ? null : new FieldMetadata(entries);
    }

    private static JsonElement Required(JsonElement obj, string property, string path) =>
        obj.TryGetProperty(property, out var value) ? value : throw Error(path, $"missing \"{property}\"");

    private static string RequiredString(JsonElement obj, string property, string path)
    {
        var value = Required(obj, property, path);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error($"{path}.{property}", $"expected a string, found {value.GetRawText()}");
    }

    /// <summary>Nullability flags; Spark always writes them, absent means nullable.</summary>
    private static bool OptionalBool(JsonElement obj, string property, string path)
    {
        if (!obj.TryGetProperty(property, out var value))
        {
            return true;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"{path}.{property}", $"expected true or false, found {value.GetRawText()}"),
        };
    }

    private static FormatException Error(string path, string detail) => new($"Invalid Delta schema JSON at {path}: {detail}");

    [GeneratedRegex(@"^decimal\(\s*(\d{1,9})\s*,\s*(\d{1,9})\s*\)$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();
}
