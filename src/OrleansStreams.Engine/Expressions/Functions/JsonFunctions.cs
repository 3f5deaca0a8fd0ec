using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>
/// get_json_object, from_json and to_json. Malformed JSON gives NULL (Spark's PERMISSIVE default);
/// a value that does not fit its field's type makes that field NULL.
/// </summary>
internal static class JsonFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        new LambdaFunction("get_json_object", 2, 2, GetJsonObject),
        new LambdaFunction("from_json", 2, 3, FromJson),
        new LambdaFunction("to_json", 1, 2, ToJson),
    ];

    /// <summary>get_json_object(json, '$.a.b[0]'): a scalar as text, an object or array as JSON.</summary>
    private static BoundExpression GetJsonObject(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var json = context.Coerce(call, args[0], StringType.Instance, 1);
        var path = JsonPath.Parse(Kernels.Constant<string>(call, context.Coerce(call, args[1], StringType.Instance, 2), 2, "the JSON path"))
            ?? throw AnalysisException.Mismatch(call, "the JSON path must start with '$' and use .name, ['name'] or [index] steps.");
        return new ComputedExpression(StringType.Instance, true, call.Sql, [json], (a, _) =>
            Kernels.MapBytes(a[0], StringType.Instance, (value, output) =>
            {
                try
                {
                    using var document = JsonDocument.Parse(value.ToArray());
                    if (path.Find(document.RootElement) is not { } found || found.ValueKind == JsonValueKind.Null)
                    {
                        return false;
                    }

                    output.Write(found.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(found.GetString()!) : Encoding.UTF8.GetBytes(found.GetRawText()));
                    return true;
                }
                catch (JsonException)
                {
                    return false;
                }
            }));
    }

    /// <summary>from_json(json, 'a INT, b STRING'): a struct of the DDL schema (or the schema of a struct/array/map type string).</summary>
    private static BoundExpression FromJson(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var json = context.Coerce(call, args[0], StringType.Instance, 1);
        var ddl = Kernels.Constant<string>(call, context.Coerce(call, args[1], StringType.Instance, 2), 2, "the schema");
        DataType type;
        try
        {
            type = ddl.TrimStart().StartsWith("struct<", StringComparison.OrdinalIgnoreCase) || ddl.TrimStart().StartsWith("array<", StringComparison.OrdinalIgnoreCase)
                ? DdlParser.ParseType(ddl)
                : DdlParser.ParseSchema(ddl);
        }
        catch (SchemaParseException e)
        {
            throw AnalysisException.Mismatch(call, $"the schema '{ddl}' is invalid: {e.Message}");
        }

        var zone = context.Session.Zone;
        return new ComputedExpression(type, true, call.Sql, [json], (a, n) =>
        {
            var strings = (StringArray)a[0];
            var rows = new object?[n];
            for (var i = 0; i < n; i++)
            {
                if (strings.IsNull(i))
                {
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(strings.GetBytes(i).ToArray());
                    rows[i] = JsonScalars.ToScalar(document.RootElement, type, zone);
                }
                catch (JsonException)
                {
                    rows[i] = null;
                }
            }

            return Columns.FromScalars(type, rows);
        });
    }

    /// <summary>to_json(struct | array | map): JSON text, timestamps in the session zone (ISO-8601 with offset).</summary>
    private static BoundExpression ToJson(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        if (args[0].Type is not (StructType or ArrayType or MapType))
        {
            throw AnalysisException.Mismatch(call, $"the first parameter requires a \"STRUCT\", \"ARRAY\" or \"MAP\" type, however \"{args[0].Sql}\" has the type \"{args[0].Type.SimpleString.ToUpperInvariant()}\".");
        }

        var type = args[0].Type;
        var zone = context.Session.Zone;
        return new ComputedExpression(StringType.Instance, true, call.Sql, [args[0]], (a, n) =>
        {
            var output = new Utf8Column(n);
            using var buffer = new MemoryStream();
            for (var i = 0; i < n; i++)
            {
                if (a[0].IsNull(i))
                {
                    output.AppendNull();
                    continue;
                }

                buffer.SetLength(0);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    Write(writer, a[0], i, type, zone);
                }

                output.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                output.EndRow();
            }

            return output.Build(Apache.Arrow.Types.StringType.Default);
        });
    }

    private static void Write(Utf8JsonWriter writer, IArrowArray column, int row, DataType type, ZoneRules zone)
    {
        if (column.IsNull(row))
        {
            writer.WriteNullValue();
            return;
        }

        switch (type, column)
        {
            case (StructType st, StructArray s):
                writer.WriteStartObject();
                for (var f = 0; f < st.Count; f++)
                {
                    if (!s.Fields[f].IsNull(row)) // Arrow slices a struct's fields with it
                    {
                        writer.WritePropertyName(st[f].Name);
                        Write(writer, s.Fields[f], row, st[f].Type, zone); // Spark leaves NULL fields out
                    }
                }

                writer.WriteEndObject();
                break;
            case (MapType mt, MapArray m):
                writer.WriteStartObject();
                for (var e = m.ValueOffsets[row]; e < m.ValueOffsets[row + 1]; e++)
                {
                    writer.WritePropertyName(System.Convert.ToString(Columns.GetScalar(m.Keys, e), CultureInfo.InvariantCulture) ?? "null");
                    Write(writer, m.Values, e, mt.ValueType, zone);
                }

                writer.WriteEndObject();
                break;
            case (ArrayType at, ListArray l):
                writer.WriteStartArray();
                for (var e = l.ValueOffsets[row]; e < l.ValueOffsets[row + 1]; e++)
                {
                    Write(writer, l.Values, e, at.ElementType, zone);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteScalar(writer, Columns.GetScalar(column, row), type, zone);
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value, DataType type, ZoneRules zone)
    {
        switch (type, value)
        {
            case (_, null):
                writer.WriteNullValue();
                break;
            case (_, bool b):
                writer.WriteBooleanValue(b);
                break;
            case (DateType, int days):
                writer.WriteStringValue(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case (TimestampType, long micros):
                writer.WriteStringValue(DateTimeFormatter.Compile("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").Format(micros, zone));
                break;
            case (_, string s):
                writer.WriteStringValue(s);
                break;
            case (_, byte[] bytes):
                writer.WriteBase64StringValue(bytes);
                break;
            case (_, decimal m):
                writer.WriteNumberValue(m);
                break;
            case (_, double d):
                writer.WriteNumberValue(d);
                break;
            case (_, float f):
                writer.WriteNumberValue(f);
                break;
            default:
                writer.WriteNumberValue(System.Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A JSONPath subset: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[index]</c>, <c>[*]</c> is not supported.</summary>
    private sealed class JsonPath(List<object> steps)
    {
        public static JsonPath? Parse(string path)
        {
            if (!path.StartsWith('$'))
            {
                return null;
            }

            var steps = new List<object>();
            for (var i = 1; i < path.Length;)
            {
                if (path[i] == '.')
                {
                    var end = path.IndexOfAny(['.', '['], i + 1);
                    end = end < 0 ? path.Length : end;
                    if (end == i + 1)
                    {
                        return null;
                    }

                    steps.Add(path[(i + 1)..end]);
                    i = end;
                }
                else if (path[i] == '[')
                {
                    var close = path.IndexOf(']', i);
                    if (close < 0)
                    {
                        return null;
                    }

                    var inner = path[(i + 1)..close].Trim();
                    if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                    {
                        steps.Add(inner[1..^1]);
                    }
                    else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    {
                        steps.Add(index);
                    }
                    else
                    {
                        return null;
                    }

                    i = close + 1;
                }
                else
                {
                    return null;
                }
            }

            return new JsonPath(steps);
        }

        public JsonElement? Find(JsonElement root)
        {
            var current = root;
            foreach (var step in steps)
            {
                switch (step)
                {
                    case string name when current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var child):
                        current = child;
                        break;
                    case int index when current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength():
                        current = current[index];
                        break;
                    default:
                        return null;
                }
            }

            return current;
        }
    }
}
