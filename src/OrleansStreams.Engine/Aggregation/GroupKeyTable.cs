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
/// </summary>
public sealed class GroupKeyTable
{
    private readonly Dictionary<byte[], int> ids = new(ByteArrayComparer.Instance);
    private readonly List<byte[]> keys = [];

    public GroupKeyTable(IReadOnlyList<DataType> keyTypes)
    {
        CheckKeyTypes(keyTypes, "Grouping by");
        KeyTypes = keyTypes;
    }

    /// <summary>Refuses key types the encoding cannot hold (nested types), naming what was asked.</summary>
    internal static void CheckKeyTypes(IReadOnlyList<DataType> keyTypes, string use)
    {
        foreach (var type in keyTypes)
        {
            if (type is not (BooleanType or ByteType or ShortType or IntegerType or LongType or FloatType or DoubleType or DateType
                or TimestampType or TimestampNtzType or DecimalType or StringType or BinaryType))
            {
                throw new NotSupportedException($"{use} a {type.SimpleString} value is not supported");
            }
        }
    }

    public IReadOnlyList<DataType> KeyTypes { get; }

    public int Count => keys.Count;

    /// <summary>The encoded key of a group (for serialization).</summary>
    public byte[] KeyOf(int group) => keys[group];

    /// <summary>Assigns each row its group id, creating groups for new keys.</summary>
    public int[] Assign(IReadOnlyList<IArrowArray> keyColumns, int rows)
    {
        var groups = new int[rows];
        var lookup = ids.GetAlternateLookup<ReadOnlySpan<byte>>();
        var buffer = new byte[64];
        for (var row = 0; row < rows; row++)
        {
            var length = Encode(keyColumns, row, ref buffer);
            var key = buffer.AsSpan(0, length);
            if (!lookup.TryGetValue(key, out var group))
            {
                group = Add(key.ToArray());
            }

            groups[row] = group;
        }

        return groups;
    }

    /// <summary>Adds (or finds) a group by its encoded key, as when restoring state.</summary>
    public int Add(byte[] encoded)
    {
        if (ids.TryGetValue(encoded, out var existing))
        {
            return existing;
        }

        ids[encoded] = keys.Count;
        keys.Add(encoded);
        return keys.Count - 1;
    }

    /// <summary>The key columns of the given groups, in order.</summary>
    public IReadOnlyList<IArrowArray> Decode(IReadOnlyList<int> groups)
    {
        var scalars = KeyTypes.Select(_ => new object?[groups.Count]).ToArray();
        for (var i = 0; i < groups.Count; i++)
        {
            var bytes = keys[groups[i]].AsSpan();
            for (var k = 0; k < KeyTypes.Count; k++)
            {
                scalars[k][i] = DecodeValue(KeyTypes[k], ref bytes);
            }
        }

        return KeyTypes.Select((t, k) => Columns.FromScalars(t, scalars[k])).ToList();
    }

    /// <summary>The scalar value of one key column of a group.</summary>
    public object? KeyValue(int group, int keyIndex)
    {
        var bytes = keys[group].AsSpan();
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
            Ensure(ref buffer, at + 17);
            if (column.IsNull(row))
            {
                buffer[at++] = 0;
                continue;
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
                default:
                    // Fixed-width values (integers, floats, dates, timestamps, decimals) by their raw bytes.
                    var data = column.Data;
                    var width = ((Apache.Arrow.Types.FixedWidthType)data.DataType).BitWidth / 8;
                    var raw = data.Buffers[1].Span.Slice((data.Offset + row) * width, width);
                    raw.CopyTo(buffer.AsSpan(at));
                    at += width;
                    break;
            }
        }

        return at;
    }

    private static object? DecodeValue(DataType type, ref Span<byte> bytes)
    {
        var present = bytes[0] == 1;
        bytes = bytes[1..];
        if (!present)
        {
            return null;
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
