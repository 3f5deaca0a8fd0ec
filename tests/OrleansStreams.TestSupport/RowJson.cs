using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace OrleansStreams.TestSupport;

/// <summary>
/// Renders Arrow rows as JSON objects the way DuckDB's <c>to_json</c> does (BIGINT and DECIMAL as
/// strings, blobs with <c>\xNN</c> escapes, timestamps as <c>yyyy-MM-dd HH:mm:ss[.ffffff]+00</c>,
/// maps as key/value lists), so our reader's output can be compared with DuckDB's and with the
/// golden tables' expected rows.
/// </summary>
public static class RowJson
{
    public static List<JsonObject> Render(IEnumerable<RecordBatch> batches)
    {
        var rows = new List<JsonObject>();
        foreach (var batch in batches)
        {
            for (var row = 0; row < batch.Length; row++)
            {
                var obj = new JsonObject();
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    obj[batch.Schema.GetFieldByIndex(c).Name] = Value(batch.Column(c), row);
                }

                rows.Add(obj);
            }
        }

        return rows;
    }

    public static JsonNode? Value(IArrowArray array, int row)
    {
        if (array.IsNull(row))
        {
            return null;
        }

        switch (array)
        {
            case BooleanArray a:
                return a.GetValue(row);
            case Int8Array a:
                return a.GetValue(row);
            case Int16Array a:
                return a.GetValue(row);
            case Int32Array a:
                return a.GetValue(row);
            case Int64Array a:
                return a.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture);
            case FloatArray a:
                return (double)a.GetValue(row)!.Value;
            case DoubleArray a:
                return a.GetValue(row);
            case Decimal128Array a:
                return a.GetSqlDecimal(row)!.Value.ToString();
            case Date32Array a:
                return DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + a.GetValue(row)!.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case TimestampArray a:
                return Timestamp(a.GetValue(row)!.Value, ((TimestampType)a.Data.DataType).Timezone is not null);
            case StringArray a:
                return a.GetString(row);
            case BinaryArray a:
                return Blob(a.GetBytes(row));
            case MapArray m:
                var entries = new JsonArray();
                for (var i = m.ValueOffsets[row]; i < m.ValueOffsets[row + 1]; i++)
                {
                    entries.Add(new JsonObject { ["key"] = Value(m.Keys, i), ["value"] = Value(m.Values, i) });
                }

                return entries;
            case ListArray a:
                var list = new JsonArray();
                var values = a.Values;
                for (var i = a.ValueOffsets[row]; i < a.ValueOffsets[row + 1]; i++)
                {
                    list.Add(Value(values, i));
                }

                return list;
            case StructArray s:
                var obj = new JsonObject();
                var type = (StructType)s.Data.DataType;
                for (var f = 0; f < type.Fields.Count; f++)
                {
                    obj[type.Fields[f].Name] = Value(s.Fields[f], s.Offset + row);
                }

                return obj;
            default:
                throw new NotSupportedException($"rendering {array.Data.DataType.Name} as JSON");
        }
    }

    private static string Timestamp(long micros, bool utc)
    {
        var time = DateTime.UnixEpoch.AddTicks(micros * 10);
        var text = time.ToString(time.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture);
        return utc ? text + "+00" : text;
    }

    private static string Blob(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F && b != (byte)'\\' && b != (byte)'"' && b != (byte)'\'')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        return text.ToString();
    }
}
