using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;

namespace OrleansStreams.Storage.Parquet;

/// <summary>Null count and (for integer-like columns) min/max of what a column chunk holds.</summary>
internal struct ChunkStatistics
{
    public long NullCount;
    public bool HasBounds;
    public long Min;
    public long Max;

    public void Fold(long value)
    {
        (Min, Max) = HasBounds ? (Math.Min(Min, value), Math.Max(Max, value)) : (value, value);
        HasBounds = true;
    }
}

/// <summary>
/// Encodes a row range of an Arrow column as the body of a Parquet v1 data page: definition levels
/// (RLE/bit-packed hybrid, when the column is nullable) then the non-null values PLAIN-encoded, read
/// straight from the Arrow buffers (fixed-width values without nulls are one copy).
/// </summary>
internal static class ParquetPageEncoder
{
    /// <summary>An upper bound of the encoded size, to size the page buffer.</summary>
    public static int MaxSize(ParquetColumnLayout layout, IArrowArray column, int start, int count)
    {
        var levels = layout.Field.Nullable ? 4 + 10 + ((count + 7) / 8) : 0;
        return checked(levels + MaxValuesSize(layout, column, start, count));
    }

    /// <summary>An upper bound of the PLAIN-encoded size of a row range's values.</summary>
    public static int MaxValuesSize(ParquetColumnLayout layout, IArrowArray column, int start, int count)
    {
        long values = layout.Physical switch
        {
            PhysicalType.Boolean => (count + 7) / 8,
            PhysicalType.Int32 or PhysicalType.Float => 4L * count,
            PhysicalType.Int64 or PhysicalType.Double => 8L * count,
            PhysicalType.FixedLenByteArray => (long)layout.TypeLength * count,
            _ => (4L * count) + BinaryBytes((BinaryArray)column, start, count),
        };
        return checked((int)values);
    }

    public static int Encode(ParquetColumnLayout layout, IArrowArray column, int start, int count, Span<byte> page, ref ChunkStatistics stats)
    {
        var data = column.Data;
        var validity = column.NullCount == 0 ? default : data.Buffers[0].Span;
        var bitOffset = data.Offset + start;
        var bits = new Bits(validity, bitOffset);

        var at = 0;
        var nulls = 0;
        if (layout.Field.Nullable)
        {
            at = WriteLevels(validity, bitOffset, count, page);
        }

        if (!validity.IsEmpty)
        {
            for (var i = 0; i < count; i++)
            {
                nulls += bits.IsValid(i) ? 0 : 1;
            }
        }

        stats.NullCount += nulls;
        return at + Values(layout, column, start, count, bits, nulls == 0, page[at..], ref stats);
    }

    /// <summary>
    /// The PLAIN values of a row range of a column without nulls, and no levels: a nested leaf's values,
    /// whose levels the caller writes.
    /// </summary>
    public static int EncodeValues(ParquetColumnLayout layout, IArrowArray column, int start, int count, Span<byte> output, ref ChunkStatistics stats) =>
        Values(layout, column, start, count, default, dense: true, output, ref stats);

    private static int Values(ParquetColumnLayout layout, IArrowArray column, int start, int count, Bits bits, bool dense, Span<byte> output, ref ChunkStatistics stats)
    {
        var data = column.Data;
        var bitOffset = data.Offset + start;
        switch (column)
        {
            case Int64Array or TimestampArray:
                return Fixed(MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span).Slice(bitOffset, count), dense, bits, output, ref stats);
            case Int32Array or Date32Array:
                return Fixed(MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(bitOffset, count), dense, bits, output, ref stats);
            case Int16Array:
                return Widened(MemoryMarshal.Cast<byte, short>(data.Buffers[1].Span).Slice(bitOffset, count), bits, output, ref stats);
            case Int8Array:
                return Widened(MemoryMarshal.Cast<byte, sbyte>(data.Buffers[1].Span).Slice(bitOffset, count), bits, output, ref stats);
            case DoubleArray:
                return Copy(MemoryMarshal.Cast<byte, double>(data.Buffers[1].Span).Slice(bitOffset, count), dense, bits, output);
            case FloatArray:
                return Copy(MemoryMarshal.Cast<byte, float>(data.Buffers[1].Span).Slice(bitOffset, count), dense, bits, output);
            case BinaryArray binary:
                return Binary(binary, start, count, bits, output);
            case Decimal128Array:
                return Decimals(MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span).Slice(bitOffset, count), layout.TypeLength, bits, output);
            case BooleanArray booleans:
                return Booleans(booleans, start, count, bits, output);
            default:
                throw new NotSupportedException($"Writing column {layout.Field.Name} ({data.DataType.Name}) to Parquet is not supported");
        }
    }

    /// <summary>A column's validity bits from a row on (empty when it has no nulls).</summary>
    private readonly ref struct Bits(ReadOnlySpan<byte> validity, int offset)
    {
        private readonly ReadOnlySpan<byte> validity = validity;

        public bool IsValid(int i) => validity.IsEmpty || BitUtility.GetBit(validity, offset + i);
    }

    /// <summary>Definition levels with a 4-byte length: one RLE run when all are set, else one bit-packed run.</summary>
    private static int WriteLevels(ReadOnlySpan<byte> validity, int bitOffset, int count, Span<byte> page)
    {
        var at = 4;
        if (validity.IsEmpty)
        {
            at += Varint((ulong)count << 1, page[at..]);
            page[at++] = 1;
        }
        else
        {
            var groups = (count + 7) / 8;
            at += Varint(((ulong)groups << 1) | 1, page[at..]);
            var bits = page.Slice(at, groups);
            if (bitOffset % 8 == 0)
            {
                validity.Slice(bitOffset / 8, groups).CopyTo(bits); // Arrow's bitmap is the same LSB-first layout
            }
            else
            {
                bits.Clear();
                for (var i = 0; i < count; i++)
                {
                    if (BitUtility.GetBit(validity, bitOffset + i))
                    {
                        bits[i / 8] |= (byte)(1 << (i % 8));
                    }
                }
            }

            at += groups;
        }

        BinaryPrimitives.WriteInt32LittleEndian(page, at - 4);
        return at;
    }

    private static int Fixed<T>(ReadOnlySpan<T> values, bool dense, Bits bits, Span<byte> output, ref ChunkStatistics stats)
        where T : unmanaged, IBinaryInteger<T>
    {
        var written = Copy(values, dense, bits, output);
        for (var i = 0; i < values.Length; i++)
        {
            if (dense || bits.IsValid(i))
            {
                stats.Fold(long.CreateTruncating(values[i]));
            }
        }

        return written;
    }

    private static int Copy<T>(ReadOnlySpan<T> values, bool dense, Bits bits, Span<byte> output)
        where T : unmanaged
    {
        if (dense)
        {
            var bytes = MemoryMarshal.AsBytes(values);
            bytes.CopyTo(output);
            return bytes.Length;
        }

        var target = MemoryMarshal.Cast<byte, T>(output);
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (bits.IsValid(i))
            {
                target[n++] = values[i];
            }
        }

        return n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
    }

    /// <summary>Byte and short values are stored as INT32.</summary>
    private static int Widened<T>(ReadOnlySpan<T> values, Bits bits, Span<byte> output, ref ChunkStatistics stats)
        where T : unmanaged, IBinaryInteger<T>
    {
        var target = MemoryMarshal.Cast<byte, int>(output);
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (bits.IsValid(i))
            {
                target[n++] = int.CreateTruncating(values[i]);
                stats.Fold(target[n - 1]);
            }
        }

        return n * 4;
    }

    private static int Binary(BinaryArray column, int start, int count, Bits bits, Span<byte> output)
    {
        var offsets = column.ValueOffsets;
        var data = column.ValueBuffer.Span;
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            if (!bits.IsValid(i))
            {
                continue;
            }

            var from = offsets[start + i];
            var length = offsets[start + i + 1] - from;
            BinaryPrimitives.WriteInt32LittleEndian(output[at..], length);
            data.Slice(from, length).CopyTo(output[(at + 4)..]);
            at += 4 + length;
        }

        return at;
    }

    /// <summary>Unscaled values as big-endian two's complement of the column's fixed length (the low bytes of Arrow's little-endian Int128).</summary>
    private static int Decimals(ReadOnlySpan<Int128> values, int length, Bits bits, Span<byte> output)
    {
        Span<byte> raw = stackalloc byte[16];
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!bits.IsValid(i))
            {
                continue;
            }

            BinaryPrimitives.WriteInt128LittleEndian(raw, values[i]);
            for (var b = 0; b < length; b++)
            {
                output[at + b] = raw[length - 1 - b];
            }

            at += length;
        }

        return at;
    }

    private static int Booleans(BooleanArray column, int start, int count, Bits bits, Span<byte> output)
    {
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (!bits.IsValid(i))
            {
                continue;
            }

            if (n % 8 == 0)
            {
                output[n / 8] = 0;
            }

            if (column.GetValue(start + i) == true)
            {
                output[n / 8] |= (byte)(1 << (n % 8));
            }

            n++;
        }

        return (n + 7) / 8;
    }

    private static long BinaryBytes(BinaryArray column, int start, int count)
    {
        var offsets = column.ValueOffsets;
        return offsets[start + count] - offsets[start];
    }

    public static int Varint(ulong value, Span<byte> output)
    {
        var n = 0;
        while (value >= 0x80)
        {
            output[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        output[n++] = (byte)value;
        return n;
    }
}
