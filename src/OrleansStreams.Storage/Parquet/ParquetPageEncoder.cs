using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
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
}

/// <summary>
/// Encodes row ranges of Arrow columns (one or more <see cref="ColumnSegment"/>s, one after the other) as the body of
/// a Parquet v1 data page: definition levels (RLE/bit-packed hybrid, when the column is nullable) then the non-null
/// values PLAIN-encoded, read straight from the Arrow buffers (fixed-width values without nulls are one copy).
/// </summary>
internal static class ParquetPageEncoder
{
    /// <summary>An upper bound of the encoded size of a page of <paramref name="segments"/>, to size the page buffer.</summary>
    public static int MaxSize(ParquetColumnLayout layout, ReadOnlySpan<ColumnSegment> segments)
    {
        long count = 0;
        long values = 0;
        foreach (var segment in segments)
        {
            count += segment.Count;
            values += MaxValuesSize(layout, segment.Column, segment.Start, segment.Count);
        }

        var levels = layout.Field.Nullable ? 4 + 10 + ((count + 7) / 8) : 0;
        return checked((int)(levels + values));
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

    /// <summary>
    /// One data page of the rows of <paramref name="segments"/>, one after the other (a row group's batches are
    /// encoded where they lie, so a page may span batches).
    /// </summary>
    public static int Encode(ParquetColumnLayout layout, ReadOnlySpan<ColumnSegment> segments, Span<byte> page, ref ChunkStatistics stats)
    {
        var count = 0;
        var nulls = 0;
        foreach (var segment in segments)
        {
            count += segment.Count;
            nulls += NullsIn(segment);
        }

        var at = layout.Field.Nullable ? WriteLevels(segments, count, nulls, page) : 0;
        stats.NullCount += nulls;
        if (layout.Physical == PhysicalType.Boolean)
        {
            // Booleans are bit-packed: the next segment's values go on from the bit where this one's ended.
            var n = 0;
            foreach (var segment in segments)
            {
                Booleans((BooleanArray)segment.Column, segment.Start, segment.Count, BitsOf(segment), page[at..], ref n);
            }

            return at + ((n + 7) / 8);
        }

        foreach (var segment in segments)
        {
            at += Values(layout, segment.Column, segment.Start, segment.Count, BitsOf(segment), NullsIn(segment) == 0, page[at..], ref stats);
        }

        return at;
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
                return Binary(binary, start, count, bits, dense, output);
            case Decimal128Array:
                return Decimals(MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span).Slice(bitOffset, count), layout.TypeLength, bits, output);
            case BooleanArray booleans:
                var n = 0;
                Booleans(booleans, start, count, bits, output, ref n);
                return (n + 7) / 8;
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

    /// <summary>A segment's validity bits (empty when it has no nulls).</summary>
    private static Bits BitsOf(ColumnSegment segment)
    {
        var data = segment.Column.Data;
        return segment.Column.NullCount == 0 ? default : new Bits(data.Buffers[0].Span, data.Offset + segment.Start);
    }

    private static int NullsIn(ColumnSegment segment)
    {
        var data = segment.Column.Data;
        return segment.Column.NullCount == 0 || data.Buffers[0].IsEmpty
            ? 0
            : segment.Count - BitUtility.CountBits(data.Buffers[0].Span, data.Offset + segment.Start, segment.Count);
    }

    /// <summary>
    /// Definition levels with a 4-byte length: one RLE run when the page has no nulls, else one bit-packed run made of
    /// the segments' validity bits (Arrow's bitmap is the same LSB-first layout, so aligned bytes are copied whole).
    /// </summary>
    private static int WriteLevels(ReadOnlySpan<ColumnSegment> segments, int count, int nulls, Span<byte> page)
    {
        var at = 4;
        if (nulls == 0)
        {
            at += Varint((ulong)count << 1, page[at..]);
            page[at++] = 1;
        }
        else
        {
            var groups = (count + 7) / 8;
            at += Varint(((ulong)groups << 1) | 1, page[at..]);
            var bits = page.Slice(at, groups);
            bits.Clear();
            var position = 0;
            foreach (var segment in segments)
            {
                var data = segment.Column.Data;
                if (segment.Column.NullCount == 0 || data.Buffers[0].IsEmpty)
                {
                    SetBits(bits, position, segment.Count);
                }
                else
                {
                    CopyBits(data.Buffers[0].Span, data.Offset + segment.Start, bits, position, segment.Count);
                }

                position += segment.Count;
            }

            at += groups;
        }

        BinaryPrimitives.WriteInt32LittleEndian(page, at - 4);
        return at;
    }

    /// <summary>Sets <paramref name="count"/> bits from <paramref name="position"/> on (a segment without nulls).</summary>
    private static void SetBits(Span<byte> bits, int position, int count)
    {
        var end = position + count;
        for (; position < end && position % 8 != 0; position++)
        {
            bits[position / 8] |= (byte)(1 << (position % 8));
        }

        var whole = (end - position) / 8;
        bits.Slice(position / 8, whole).Fill(0xFF);
        for (position += whole * 8; position < end; position++)
        {
            bits[position / 8] |= (byte)(1 << (position % 8));
        }
    }

    /// <summary>ORs <paramref name="count"/> validity bits into the cleared level bits at <paramref name="position"/>.</summary>
    private static void CopyBits(ReadOnlySpan<byte> validity, int from, Span<byte> bits, int position, int count)
    {
        var i = 0;
        if (from % 8 == 0 && position % 8 == 0)
        {
            var whole = count / 8;
            validity.Slice(from / 8, whole).CopyTo(bits[(position / 8)..]);
            i = whole * 8;
        }

        for (; i < count; i++)
        {
            if (BitUtility.GetBit(validity, from + i))
            {
                bits[(position + i) / 8] |= (byte)(1 << ((position + i) % 8));
            }
        }
    }

    private static int Fixed<T>(ReadOnlySpan<T> values, bool dense, Bits bits, Span<byte> output, ref ChunkStatistics stats)
        where T : unmanaged, IBinaryInteger<T>
    {
        var written = Copy(values, dense, bits, output);
        var (min, max, any) = (stats.Min, stats.Max, stats.HasBounds);
        if (!any)
        {
            (min, max) = (long.MaxValue, long.MinValue);
        }

        // Bounds kept in locals, so the loop is two compares a value.
        for (var i = 0; i < values.Length; i++)
        {
            if (dense || bits.IsValid(i))
            {
                var v = long.CreateTruncating(values[i]);
                min = v < min ? v : min;
                max = v > max ? v : max;
                any = true;
            }
        }

        if (any)
        {
            (stats.Min, stats.Max, stats.HasBounds) = (min, max, true);
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
        var (min, max) = stats.HasBounds ? (stats.Min, stats.Max) : (long.MaxValue, long.MinValue);
        for (var i = 0; i < values.Length; i++)
        {
            if (bits.IsValid(i))
            {
                var v = int.CreateTruncating(values[i]);
                target[n++] = v;
                min = v < min ? v : min;
                max = v > max ? v : max;
            }
        }

        if (n > 0)
        {
            (stats.Min, stats.Max, stats.HasBounds) = (min, max, true);
        }

        return n * 4;
    }

    /// <summary>
    /// Each value as its 4-byte little-endian length then its bytes. Most values are a few bytes long, so the per-value
    /// span slicing and bounds checks cost more than the copy: the ranges are checked once for the whole run and
    /// the copy goes through refs.
    /// </summary>
    private static int Binary(BinaryArray column, int start, int count, Bits bits, bool dense, Span<byte> output)
    {
        var offsets = column.ValueOffsets.Slice(start, count + 1);
        var data = column.ValueBuffer.Span;
        if (offsets[0] < 0 || offsets[count] > data.Length || (4L * count) + offsets[count] - offsets[0] > output.Length)
        {
            throw new InvalidOperationException("binary column offsets point outside its value buffer");
        }

        ref var source = ref MemoryMarshal.GetReference(data);
        ref var target = ref MemoryMarshal.GetReference(output);
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            if (!dense && !bits.IsValid(i))
            {
                continue;
            }

            var from = offsets[i];
            var length = offsets[i + 1] - from;
            if (length < 0)
            {
                // Offsets that go back would make the checks above meaningless.
                throw new InvalidOperationException("binary column offsets are not ascending");
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, at), BitConverter.IsLittleEndian ? length : BinaryPrimitives.ReverseEndianness(length));
            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref target, at + 4), ref Unsafe.Add(ref source, from), (uint)length);
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

            // The big-endian form's last bytes are the low ones: one copy instead of a loop per byte.
            BinaryPrimitives.WriteInt128BigEndian(raw, values[i]);
            raw[(16 - length)..].CopyTo(output[at..]);
            at += length;
        }

        return at;
    }

    /// <summary>Bit-packs the non-null values from bit <paramref name="n"/> of <paramref name="output"/> on, advancing it.</summary>
    private static void Booleans(BooleanArray column, int start, int count, Bits bits, Span<byte> output, ref int n)
    {
        var values = column.ValueBuffer.Span;
        var offset = column.Offset + start;
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

            if (BitUtility.GetBit(values, offset + i))
            {
                output[n / 8] |= (byte)(1 << (n % 8));
            }

            n++;
        }
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
