using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Casts;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Cli.Output;

/// <summary>
/// Result cells as text the way Spark shows them (atomic values through the engine's CAST to string, in the
/// session time zone; structs, arrays and maps as JSON) and as JSON values for <c>--format json</c>.
/// </summary>
internal static class CellValues
{
    /// <summary>Every cell of <paramref name="batch"/> as display text; null cells are null.</summary>
    public static string?[][] Text(RecordBatch batch, ZoneRules zone)
    {
        var columns = new string?[batch.ColumnCount][];
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            var array = batch.Column(c);
            var type = ArrowTypes.FromArrow(array.Data.DataType);
            columns[c] = new string?[batch.Length];
            if (IsAtomic(type))
            {
                var text = (StringArray)CastKernel.Cast(array, type, StringType.Instance, zone);
                for (var r = 0; r < batch.Length; r++)
                {
                    columns[c][r] = text.IsNull(r) ? null : text.GetString(r);
                }
            }
            else
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    columns[c][r] = array.IsNull(r) ? null : Json(array, type, r, zone);
                }
            }
        }

        return columns;
    }

    /// <summary>Writes row <paramref name="row"/> as one JSON object (field names from the batch's schema).</summary>
    public static void WriteRow(Utf8JsonWriter json, RecordBatch batch, int row, ZoneRules zone)
    {
        json.WriteStartObject();
        for (var c = 0; c < batch.ColumnCount; c++)
        {
            json.WritePropertyName(batch.Schema.GetFieldByIndex(c).Name);
            var array = batch.Column(c);
            WriteValue(json, array, ArrowTypes.FromArrow(array.Data.DataType), row, zone);
        }

        json.WriteEndObject();
    }

    private static bool IsAtomic(DataType type) => type is not (StructType or ArrayType or MapType);

    private static string Json(IArrowArray array, DataType type, int row, ZoneRules zone)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteValue(json, array, type, row, zone);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, IArrowArray array, DataType type, int row, ZoneRules zone)
    {
        if (array.IsNull(row))
        {
            json.WriteNullValue();
            return;
        }

        switch (type)
        {
            case StructType st:
                var structArray = (StructArray)array;
                json.WriteStartObject();
                for (var f = 0; f < st.Fields.Count; f++)
                {
                    json.WritePropertyName(st.Fields[f].Name);
                    WriteValue(json, structArray.Fields[f], st.Fields[f].Type, structArray.Offset + row, zone);
                }

                json.WriteEndObject();
                break;
            case MapType mt:
                var map = (MapArray)array;
                json.WriteStartObject();
                for (var i = map.ValueOffsets[row]; i < map.ValueOffsets[row + 1]; i++)
                {
                    json.WritePropertyName(Scalar(map.Keys, mt.KeyType, i, zone));
                    WriteValue(json, map.Values, mt.ValueType, i, zone);
                }

                json.WriteEndObject();
                break;
            case ArrayType at:
                var list = (ListArray)array;
                json.WriteStartArray();
                for (var i = list.ValueOffsets[row]; i < list.ValueOffsets[row + 1]; i++)
                {
                    WriteValue(json, list.Values, at.ElementType, i, zone);
                }

                json.WriteEndArray();
                break;
            case BooleanType:
                json.WriteBooleanValue(((BooleanArray)array).GetValue(row)!.Value);
                break;
            case ByteType or ShortType or IntegerType or LongType or DecimalType:
                switch (Columns.GetScalar(array, row))
                {
                    case decimal m:
                        json.WriteNumberValue(m);
                        break;
                    case var integer:
                        json.WriteNumberValue(Convert.ToInt64(integer, CultureInfo.InvariantCulture));
                        break;
                }

                break;
            case FloatType or DoubleType:
                var real = Convert.ToDouble(Columns.GetScalar(array, row), CultureInfo.InvariantCulture);
                if (double.IsFinite(real))
                {
                    json.WriteNumberValue(real);
                }
                else
                {
                    json.WriteStringValue(Scalar(array, type, row, zone)); // NaN and Infinity are not JSON numbers
                }

                break;
            case BinaryType:
                json.WriteBase64StringValue(((BinaryArray)array).GetBytes(row));
                break;
            default:
                json.WriteStringValue(Scalar(array, type, row, zone));
                break;
        }
    }

    /// <summary>One atomic cell as Spark's CAST to string prints it.</summary>
    private static string Scalar(IArrowArray array, DataType type, int row, ZoneRules zone)
    {
        if (!IsAtomic(type))
        {
            return Json(array, type, row, zone);
        }

        var one = ArrowArrayFactory.Slice(array, row, 1);
        return ((StringArray)CastKernel.Cast(one, type, StringType.Instance, zone)).GetString(0) ?? string.Empty;
    }
}
