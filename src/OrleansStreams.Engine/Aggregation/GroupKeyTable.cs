using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// Maps grouping keys to dense group ids that stay stable across batches. Each row's key columns
/// are encoded into a reusable byte buffer (a null flag and the raw value per column) and looked up
/// by span, so only a new group allocates. The encoded keys are kept to rebuild key columns on output.
/// A single fixed-width key (the common GROUP BY id) is looked up by its raw value instead and kept as
/// that value alone: no object per group, so a state of millions of groups costs the collector nothing
/// to trace. A struct key is its fields' values in order; floating keys are normalized as Spark does
/// (-0.0 is 0.0, every NaN one NaN).
/// </summary>
public sealed class GroupKeyTable
{
    /// <summary>The longest encoded fixed-width key: its null flag and eight bytes.</summary>
    public const int MaxFixedKeyLength = 9;

    private readonly Dictionary<byte[], int> ids = new(ByteArrayComparer.Instance);
    private readonly List<byte[]> keys = [];
    private readonly int fixedWidth;
    private readonly LongKeyIndex? fixedIds;
    private long[] fixedValues = [];
    private int fixedCount;
    private int nullGroup = -1;

    public GroupKeyTable(IReadOnlyList<DataType> keyTypes)
    {
        CheckKeyTypes(keyTypes, "Grouping by");
        KeyTypes = keyTypes;
        fixedWidth = keyTypes is [var single] ? FixedWidth(single) : 0;
        fixedIds = fixedWidth > 0 ? new LongKeyIndex() : null;
    }

    /// <summary>Refuses key types the encoding cannot hold (nested types), naming what was asked.</summary>
    internal static void CheckKeyTypes(IReadOnlyList<DataType> keyTypes, string use)
    {
        foreach (var type in keyTypes)
        {
            if (!IsKeyType(type))
            {
                throw new NotSupportedException($"{use} a {type.SimpleString} value is not supported");
            }
        }
    }

    private static bool IsKeyType(DataType type) =>
        type is BooleanType or ByteType or ShortType or IntegerType or LongType or FloatType or DoubleType or DateType
            or TimestampType or TimestampNtzType or DecimalType or StringType or BinaryType
        || (type is StructType st && st.Fields.All(f => IsKeyType(f.Type)));

    private static int FixedWidth(DataType type) => type switch
    {
        ByteType => 1,
        ShortType => 2,
        IntegerType or DateType => 4, // floats take the general path, which normalizes them
        LongType or TimestampType or TimestampNtzType => 8,
        _ => 0,
    };

    public IReadOnlyList<DataType> KeyTypes { get; }

    public int Count => fixedIds is null ? keys.Count : fixedCount;

    /// <summary>
    /// The encoded key of a group (for serialization): a fixed-width key is written into <paramref name="scratch"/>
    /// (at least <see cref="MaxFixedKeyLength"/> bytes), any other is returned as kept.
    /// </summary>
    public ReadOnlySpan<byte> KeyOf(int group, Span<byte> scratch)
    {
        if (fixedIds is null)
        {
            return keys[group];
        }

        if (group == nullGroup)
        {
            scratch[0] = 0;
            return scratch[..1];
        }

        scratch[0] = 1;
        var value = fixedValues[group];
        MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref value))[..fixedWidth].CopyTo(scratch[1..]);
        return scratch[..(1 + fixedWidth)];
    }

    /// <summary>Writes each row's group id into <paramref name="groups"/> (one per row), creating groups for new keys.</summary>
    public void Assign(IReadOnlyList<IArrowArray> keyColumns, Span<int> groups)
    {
        if (fixedIds is not null)
        {
            AssignFixed(keyColumns[0], groups);
            return;
        }

        var lookup = ids.GetAlternateLookup<ReadOnlySpan<byte>>();
        var buffer = new byte[64];
        for (var row = 0; row < groups.Length; row++)
        {
            var length = Encode(keyColumns, row, ref buffer);
            var key = buffer.AsSpan(0, length);
            if (!lookup.TryGetValue(key, out var group))
            {
                group = AddEncoded(key.ToArray());
            }

            groups[row] = group;
        }
    }

    private void AssignFixed(IArrowArray column, Span<int> groups)
    {
        var data = column.Data;
        var rows = groups.Length;
        var raw = data.Buffers[1].Span.Slice(data.Offset * fixedWidth, rows * fixedWidth);
        var hasNulls = column.NullCount > 0;
        for (var row = 0; row < rows; row++)
        {
            if (hasNulls && column.IsNull(row))
            {
                groups[row] = nullGroup >= 0 ? nullGroup : nullGroup = Append(0);
                continue;
            }

            var value = Raw(raw.Slice(row * fixedWidth, fixedWidth));
            var group = fixedIds!.GetOrAdd(value, fixedCount, out var added);
            groups[row] = added ? Append(value) : group;
        }
    }

    /// <summary>A fixed-width value's bytes as one zero-extended integer (the lookup key).</summary>
    private static long Raw(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        8 => MemoryMarshal.Read<long>(bytes),
        4 => MemoryMarshal.Read<uint>(bytes),
        2 => MemoryMarshal.Read<ushort>(bytes),
        _ => bytes[0],
    };

    /// <summary>A new fixed-width group holding <paramref name="value"/> (the null group's value is unused).</summary>
    private int Append(long value)
    {
        if (fixedCount == fixedValues.Length)
        {
            System.Array.Resize(ref fixedValues, Math.Max(16, fixedValues.Length * 2));
        }

        fixedValues[fixedCount] = value;
        return fixedCount++;
    }

    /// <summary>Adds (or finds) a group by its encoded key, as when restoring state; copies the key only when it is new.</summary>
    public int Add(ReadOnlySpan<byte> encoded)
    {
        if (fixedIds is not null)
        {
            if (encoded[0] == 0)
            {
                return nullGroup >= 0 ? nullGroup : nullGroup = Append(0);
            }

            var value = Raw(encoded[1..]);
            var group = fixedIds.GetOrAdd(value, fixedCount, out var added);
            return added ? Append(value) : group;
        }

        return ids.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(encoded, out var existing) ? existing : AddEncoded(encoded.ToArray());
    }

    private int AddEncoded(byte[] encoded)
    {
        ids[encoded] = keys.Count;
        keys.Add(encoded);
        return keys.Count - 1;
    }

    /// <summary>The key columns of the given groups, in order.</summary>
    public IReadOnlyList<IArrowArray> Decode(IReadOnlyList<int> groups)
    {
        if (fixedIds is not null)
        {
            return [DecodeFixed(groups)];
        }

        var scalars = KeyTypes.Select(_ => new object?[groups.Count]).ToArray();
        for (var i = 0; i < groups.Count; i++)
        {
            ReadOnlySpan<byte> bytes = keys[groups[i]];
            for (var k = 0; k < KeyTypes.Count; k++)
            {
                scalars[k][i] = DecodeValue(KeyTypes[k], ref bytes);
            }
        }

        return KeyTypes.Select((t, k) => Columns.FromScalars(t, scalars[k])).ToList();
    }

    private IArrowArray DecodeFixed(IReadOnlyList<int> groups)
    {
        var n = groups.Count;
        var bytes = new byte[n * fixedWidth];
        var nulls = new NullMask(n);
        var longs = fixedWidth == 8 ? MemoryMarshal.Cast<byte, long>(bytes.AsSpan()) : default;
        for (var i = 0; i < n; i++)
        {
            var group = groups[i];
            if (group == nullGroup)
            {
                nulls.SetNull(i);
                continue;
            }

            var value = fixedValues[group];
            if (fixedWidth == 8)
            {
                longs[i] = value;
                continue;
            }

            MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref value))[..fixedWidth].CopyTo(bytes.AsSpan(i * fixedWidth));
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(ArrowTypes.ToArrow(KeyTypes[0]), n, nulls.NullCount, 0, [nulls.Build(), new ArrowBuffer(bytes)]));
    }

    /// <summary>The scalar value of one key column of a group.</summary>
    public object? KeyValue(int group, int keyIndex)
    {
        // Called for every live group of a windowed state each batch: the fixed-width key is decoded from the stack.
        var bytes = KeyOf(group, stackalloc byte[MaxFixedKeyLength]);
        object? value = null;
        for (var k = 0; k <= keyIndex; k++)
        {
            value = DecodeValue(KeyTypes[k], ref bytes);
        }

        return value;
    }

    /// <summary>Writes one row's key (a null flag and the raw value per column) into <paramref name="buffer"/>; returns its length.</summary>
    internal static int Encode(IReadOnlyList<IArrowArray> columns, int row, ref byte[] buffer)
    {
        var at = 0;
        foreach (var column in columns)
        {
            EncodeValue(column, row, ref buffer, ref at);
        }

        return at;
    }

    private static void EncodeValue(IArrowArray column, int row, ref byte[] buffer, ref int at)
    {
        Ensure(ref buffer, at + 17);
        if (column.IsNull(row))
        {
            buffer[at++] = 0;
            return;
        }

        buffer[at++] = 1;
        switch (column)
        {
            case BooleanArray b:
                buffer[at++] = b.GetValue(row)!.Value ? (byte)1 : (byte)0;
                break;
            case BinaryArray s:
                var bytes = s.GetBytes(row);
                Ensure(ref buffer, at + 4 + bytes.Length);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), bytes.Length);
                bytes.CopyTo(buffer.AsSpan(at + 4));
                at += 4 + bytes.Length;
                break;
            case StructArray st:
                foreach (var field in st.Fields) // Arrow slices a struct's fields with it
                {
                    EncodeValue(field, row, ref buffer, ref at);
                }

                break;
            case FloatArray f:
                MemoryMarshal.Write(buffer.AsSpan(at), FloatKeys.Normalize(f.Values[row]));
                at += 4;
                break;
            case DoubleArray d:
                MemoryMarshal.Write(buffer.AsSpan(at), FloatKeys.Normalize(d.Values[row]));
                at += 8;
                break;
            default:
                // Fixed-width values (integers, dates, timestamps, decimals) by their raw bytes.
                var data = column.Data;
                var width = ((Apache.Arrow.Types.FixedWidthType)data.DataType).BitWidth / 8;
                var raw = data.Buffers[1].Span.Slice((data.Offset + row) * width, width);
                raw.CopyTo(buffer.AsSpan(at));
                at += width;
                break;
        }
    }


    private static object? DecodeValue(DataType type, ref ReadOnlySpan<byte> bytes)
    {
        var present = bytes[0] == 1;
        bytes = bytes[1..];
        if (!present)
        {
            return null;
        }

        if (type is StructType st)
        {
            var fields = new object?[st.Count];
            for (var f = 0; f < st.Count; f++)
            {
                fields[f] = DecodeValue(st[f].Type, ref bytes);
            }

            return fields;
        }

        object value;
        int used;
        switch (type)
        {
            case BooleanType:
                (value, used) = (bytes[0] == 1, 1);
                break;
            case StringType or BinaryType:
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                var content = bytes.Slice(4, length);
                (value, used) = (type is StringType ? System.Text.Encoding.UTF8.GetString(content) : content.ToArray(), 4 + length);
                break;
            case ByteType:
                (value, used) = ((sbyte)bytes[0], 1);
                break;
            case ShortType:
                (value, used) = (MemoryMarshal.Read<short>(bytes), 2);
                break;
            case IntegerType or DateType:
                (value, used) = (MemoryMarshal.Read<int>(bytes), 4);
                break;
            case FloatType:
                (value, used) = (MemoryMarshal.Read<float>(bytes), 4);
                break;
            case DoubleType:
                (value, used) = (MemoryMarshal.Read<double>(bytes), 8);
                break;
            case DecimalType d:
                (value, used) = (DecimalValues.ToDecimal(MemoryMarshal.Read<Int128>(bytes), d.Scale), 16);
                break;
            default:
                (value, used) = (MemoryMarshal.Read<long>(bytes), 8);
                break;
        }

        bytes = bytes[used..];
        return value;
    }

    private static void Ensure(ref byte[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            System.Array.Resize(ref buffer, Math.Max(size, buffer.Length * 2));
        }
    }
}
