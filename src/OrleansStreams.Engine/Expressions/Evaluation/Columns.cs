using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// Moves values between Arrow columns and the engine's scalar form (the one <see cref="Literal"/>
/// documents). Scalars box, so this is for literals, constant folding and tests, not per-row work.
/// </summary>
public static class Columns
{
    /// <summary>The values of a fixed-width column as a span (the array's offset applied).</summary>
    internal static ReadOnlySpan<T> Values<T>(IArrowArray array)
        where T : unmanaged
    {
        var data = array.Data;
        return MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span).Slice(data.Offset, data.Length);
    }

    /// <summary>A column of <paramref name="length"/> copies of one scalar.</summary>
    public static IArrowArray Repeat(object? value, DataType type, int length)
    {
        if (value is null)
        {
            return AllNull(type, length);
        }

        switch (type)
        {
            case BooleanType:
                var bools = new BooleanColumn(length);
                for (var i = 0; i < length; i++)
                {
                    bools.Set(i, (bool)value);
                }

                return bools.Build();
            case ByteType:
                return Fill((sbyte)value, type, length);
            case ShortType:
                return Fill((short)value, type, length);
            case IntegerType or DateType:
                return Fill((int)value, type, length);
            case LongType or TimestampType or TimestampNtzType:
                return Fill((long)value, type, length);
            case FloatType:
                return Fill((float)value, type, length);
            case DoubleType:
                return Fill((double)value, type, length);
            case DecimalType d:
                var decimals = new DecimalColumn(d, length);
                for (var i = 0; i < length; i++)
                {
                    decimals.Set(i, (decimal)value);
                }

                return decimals.Build();
            case StringType or BinaryType:
                var bytes = value is string s ? Encoding.UTF8.GetBytes(s) : (byte[])value;
                var column = new Utf8Column(length, bytes.Length * length);
                for (var i = 0; i < length; i++)
                {
                    column.Append(bytes);
                }

                return column.Build(ArrowTypes.ToArrow(type));
            case StructType st when value is object?[] fields:
                // A constant struct (the _metadata of a file's rows) is each of its fields repeated: no scalar per row.
                var children = st.Fields.Select((f, i) => Repeat(fields[i], f.Type, length).Data).ToList();
                return ArrowArrayFactory.BuildArray(new ArrayData(ArrowTypes.ToArrow(st), length, 0, 0, [ArrowBuffer.Empty], children));
            default:
                return FromScalars(type, Enumerable.Repeat(value, length).ToList());
        }
    }

    /// <summary>A column of the given type in which every row is NULL.</summary>
    public static IArrowArray AllNull(DataType type, int length)
    {
        if (type is NullType)
        {
            return new NullArray(length);
        }

        return FromScalars(type, new object?[length]);
    }

    /// <summary>Builds a column from scalars (null for NULL); nested types take struct values as object?[] per field.</summary>
    public static IArrowArray FromScalars(DataType type, IReadOnlyList<object?> values)
    {
        var n = values.Count;
        switch (type)
        {
            case NullType:
                return new NullArray(n);
            case BooleanType:
                var bools = new BooleanColumn(n);
                for (var i = 0; i < n; i++)
                {
                    if (values[i] is bool b)
                    {
                        bools.Set(i, b);
                    }
                    else
                    {
                        bools.SetNull(i);
                    }
                }

                return bools.Build();
            case ByteType:
                return Typed<sbyte>(type, values);
            case ShortType:
                return Typed<short>(type, values);
            case IntegerType or DateType:
                return Typed<int>(type, values);
            case LongType or TimestampType or TimestampNtzType:
                return Typed<long>(type, values);
            case FloatType:
                return Typed<float>(type, values);
            case DoubleType:
                return Typed<double>(type, values);
            case DecimalType d:
                var decimals = new DecimalColumn(d, n);
                for (var i = 0; i < n; i++)
                {
                    if (values[i] is decimal m)
                    {
                        decimals.Set(i, m);
                    }
                    else
                    {
                        decimals.SetNull(i);
                    }
                }

                return decimals.Build();
            case StringType or BinaryType:
                var column = new Utf8Column(n);
                for (var i = 0; i < n; i++)
                {
                    switch (values[i])
                    {
                        case string s:
                            column.Append(Encoding.UTF8.GetBytes(s));
                            break;
                        case byte[] bytes:
                            column.Append(bytes);
                            break;
                        default:
                            column.AppendNull();
                            break;
                    }
                }

                return column.Build(ArrowTypes.ToArrow(type));
            case StructType st:
                var mask = new NullMask(n);
                var children = new List<ArrayData>();
                for (var f = 0; f < st.Count; f++)
                {
                    var field = f;
                    children.Add(FromScalars(st[f].Type, values.Select(v => v is object?[] row ? row[field] : null).ToList()).Data);
                }

                for (var i = 0; i < n; i++)
                {
                    if (values[i] is null)
                    {
                        mask.SetNull(i);
                    }
                }

                return ArrowArrayFactory.BuildArray(new ArrayData(ArrowTypes.ToArrow(st), n, mask.NullCount, 0, [mask.Build()], children));
            case ArrayType at:
                // Array rows are lists of element scalars (IReadOnlyList<object?>).
                var listNulls = new NullMask(n);
                var offsets = new int[n + 1];
                var elements = new List<object?>();
                for (var i = 0; i < n; i++)
                {
                    if (values[i] is IEnumerable<object?> items)
                    {
                        elements.AddRange(items);
                    }
                    else
                    {
                        listNulls.SetNull(i);
                    }

                    offsets[i + 1] = elements.Count;
                }

                var elementData = FromScalars(at.ElementType, elements).Data;
                var offsetBuffer = new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray());
                return ArrowArrayFactory.BuildArray(new ArrayData(ArrowTypes.ToArrow(at), n, listNulls.NullCount, 0, [listNulls.Build(), offsetBuffer], [elementData]));
            case MapType mt:
                // Map rows are key/value pairs (IEnumerable<KeyValuePair<string, string>> or of objects), stored as a list of entry structs.
                var mapNulls = new NullMask(n);
                var mapOffsets = new int[n + 1];
                var entries = new List<object?>();
                for (var i = 0; i < n; i++)
                {
                    switch (values[i])
                    {
                        case IEnumerable<KeyValuePair<string, string>> texts:
                            entries.AddRange(texts.Select(p => (object?)new object?[] { p.Key, p.Value }));
                            break;
                        case IEnumerable<KeyValuePair<object, object?>> pairs:
                            entries.AddRange(pairs.Select(p => (object?)new object?[] { p.Key, p.Value }));
                            break;
                        default:
                            mapNulls.SetNull(i);
                            break;
                    }

                    mapOffsets[i + 1] = entries.Count;
                }

                var mapArrow = (Apache.Arrow.Types.MapType)ArrowTypes.ToArrow(mt);
                var entryData = FromScalars(new StructType([new StructField(mapArrow.KeyField.Name, mt.KeyType, false), new StructField(mapArrow.ValueField.Name, mt.ValueType, mt.ValueContainsNull)]), entries).Data;
                var entryStruct = new ArrayData(mapArrow.KeyValueType, entryData.Length, entryData.NullCount, 0, entryData.Buffers, entryData.Children);
                var mapOffsetBuffer = new ArrowBuffer(MemoryMarshal.AsBytes(mapOffsets.AsSpan()).ToArray());
                return ArrowArrayFactory.BuildArray(new ArrayData(mapArrow, n, mapNulls.NullCount, 0, [mapNulls.Build(), mapOffsetBuffer], [entryStruct]));
            default:
                throw new NotSupportedException($"building a column of type {type.SimpleString} from scalars is not supported");
        }
    }

    /// <summary>The scalar at a row (null for NULL); struct rows come back as object?[].</summary>
    public static object? GetScalar(IArrowArray array, int index) => array switch
    {
        _ when array.IsNull(index) => null,
        BooleanArray a => a.GetValue(index),
        Int8Array a => a.GetValue(index),
        Int16Array a => a.GetValue(index),
        Int32Array a => a.GetValue(index),
        Int64Array a => a.GetValue(index),
        FloatArray a => a.GetValue(index),
        DoubleArray a => a.GetValue(index),
        Date32Array a => Values<int>(a)[index],
        TimestampArray a => Values<long>(a)[index],
        Decimal128Array a => DecimalValues.ToDecimal(Values<Int128>(a)[index], ((Apache.Arrow.Types.Decimal128Type)a.Data.DataType).Scale),
        StringArray a => a.GetString(index),
        BinaryArray a => a.GetBytes(index).ToArray(),
        StructArray a => a.Fields.Select(f => GetScalar(f, index)).ToArray(), // Arrow slices a struct's fields with it
        ListArray a when a is not MapArray => Enumerable.Range(a.ValueOffsets[index], a.ValueOffsets[index + 1] - a.ValueOffsets[index]).Select(i => GetScalar(a.Values, i)).ToArray(),
        _ => throw new NotSupportedException($"reading a scalar from {array.Data.DataType.Name} is not supported"),
    };

    private static IArrowArray Fill<T>(T value, DataType type, int length)
        where T : unmanaged
    {
        var column = new PrimitiveColumn<T>(length);
        column.Values.Fill(value);
        return column.Build(ArrowTypes.ToArrow(type));
    }

    private static IArrowArray Typed<T>(DataType type, IReadOnlyList<object?> values)
        where T : unmanaged
    {
        var column = new PrimitiveColumn<T>(values.Count);
        var span = column.Values;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is T v)
            {
                span[i] = v;
            }
            else
            {
                column.SetNull(i);
            }
        }

        return column.Build(ArrowTypes.ToArrow(type));
    }
}
