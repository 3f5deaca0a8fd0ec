using System.Buffers.Binary;
using System.IO.Hashing;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using ArrowT = Apache.Arrow.Types;

namespace OrleansStreams.Engine.Common;

/// <summary>
/// The one hash of values that is the same in every process, machine and version: XXH3 64-bit with seed 0
/// (System.IO.Hashing's <see cref="XxHash3"/>) over each value's canonical bytes; a key of several columns
/// folds its values' hashes in order, each step an XXH3 of the 16 bytes (hash so far, value hash).
/// Everything that places state or data by hash (aggregation partitions, join buckets, HyperLogLog
/// sketches) uses it, because .NET randomizes <see cref="HashCode"/> and <c>string.GetHashCode</c> per process.
/// <para>
/// Canonical bytes make equal values of one type hash equally whatever their Arrow layout: integers of any
/// width and dates as a little-endian int64; floats widened to double with -0.0 read as 0.0 and every NaN as
/// one NaN (as Spark normalizes them for grouping); timestamps as int64 microseconds; decimals as their
/// 16-byte unscaled value; strings and binaries as their bytes (plain, large, view or dictionary-encoded,
/// sliced or not); a struct as the fold of its fields; a list as the fold of its length and elements.
/// A NULL hashes as the empty input under a seed of its own, so it differs from an empty string.
/// </para>
/// </summary>
public static class StableHash
{
    /// <summary>The scheme's name, recorded in checkpoints whose layout depends on it.</summary>
    public const string Name = "xxh3-64";

    /// <summary>The hash of a NULL value.</summary>
    public static readonly ulong NullHash = XxHash3.HashToUInt64(ReadOnlySpan<byte>.Empty, unchecked((long)0x9E3779B97F4A7C15UL));

    /// <summary>Each row's hash of the given key columns, folded in order.</summary>
    public static ulong[] Rows(IEnumerable<IArrowArray> keyColumns, int rows)
    {
        var hashes = new ulong[rows];
        foreach (var column in keyColumns)
        {
            Fold(hashes, Values(column));
        }

        return hashes;
    }

    /// <summary>The partition (0 … <paramref name="partitions"/> - 1) of a row hash.</summary>
    public static int Partition(ulong hash, int partitions) => (int)(hash % (uint)partitions);

    /// <summary>The hash of each row's value of <paramref name="column"/> alone.</summary>
    public static ulong[] Values(IArrowArray column)
    {
        var hashes = new ulong[column.Length];
        switch (column)
        {
            case BooleanArray a:
                Each(a, hashes, i => Long(a.GetValue(i)!.Value ? 1 : 0));
                break;
            case Int8Array a:
                Integers(a, a.Values, hashes);
                break;
            case Int16Array a:
                Integers(a, a.Values, hashes);
                break;
            case Int32Array a:
                Integers(a, a.Values, hashes);
                break;
            case Date32Array a:
                Integers(a, a.Values, hashes);
                break;
            case Int64Array a:
                Integers(a, a.Values, hashes);
                break;
            case UInt8Array a:
                Integers(a, a.Values, hashes);
                break;
            case UInt16Array a:
                Integers(a, a.Values, hashes);
                break;
            case UInt32Array a:
                Integers(a, a.Values, hashes);
                break;
            case TimestampArray a:
                Timestamps(a, hashes);
                break;
            case FloatArray a:
                Each(a, hashes, i => Double(a.Values[i]));
                break;
            case DoubleArray a:
                Each(a, hashes, i => Double(a.Values[i]));
                break;
            case Decimal128Array a:
                FixedWidth(a, a.ValueBuffer.Span, 16, hashes);
                break;
            case FixedSizeBinaryArray a:
                FixedWidth(a, a.ValueBuffer.Span, ((ArrowT.FixedSizeBinaryType)a.Data.DataType).ByteWidth, hashes);
                break;
            case BinaryArray a: // and StringArray
                Each(a, hashes, i => XxHash3.HashToUInt64(a.GetBytes(i)));
                break;
            case LargeBinaryArray a: // and LargeStringArray
                Each(a, hashes, i => XxHash3.HashToUInt64(a.GetBytes(i)));
                break;
            case BinaryViewArray a: // and StringViewArray
                Each(a, hashes, i => XxHash3.HashToUInt64(a.GetBytes(i)));
                break;
            case DictionaryArray a:
                Dictionary(a, hashes);
                break;
            case StructArray a:
                Struct(a, hashes);
                break;
            case ListArray a:
                List(a, hashes);
                break;
            case NullArray:
                hashes.AsSpan().Fill(NullHash);
                break;
            default:
                throw new NotSupportedException($"Hashing values of type {column.Data.DataType.Name} is not supported");
        }

        return hashes;
    }

    /// <summary>Each row's hash: <see cref="NullHash"/> for a NULL, else <paramref name="valueHash"/> of the row.</summary>
    private static void Each(IArrowArray column, Span<ulong> hashes, Func<int, ulong> valueHash)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = column.IsNull(i) ? NullHash : valueHash(i);
        }
    }

    /// <summary>Folds each row's value hash into the row's hash so far.</summary>
    private static void Fold(Span<ulong> hashes, ReadOnlySpan<ulong> values)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = Fold(hashes[i], values[i]);
        }
    }

    private static ulong Fold(ulong hash, ulong value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, hash);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], value);
        return XxHash3.HashToUInt64(bytes);
    }

    private static void Integers<T>(IArrowArray column, ReadOnlySpan<T> values, Span<ulong> hashes)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = column.IsNull(i) ? NullHash : Long(long.CreateTruncating(values[i]));
        }
    }

    private static void Timestamps(TimestampArray column, Span<ulong> hashes)
    {
        var unit = ((ArrowT.TimestampType)column.Data.DataType).Unit;
        var values = column.Values;
        for (var i = 0; i < hashes.Length; i++)
        {
            var micros = unit switch
            {
                ArrowT.TimeUnit.Second => values[i] * 1_000_000,
                ArrowT.TimeUnit.Millisecond => values[i] * 1_000,
                ArrowT.TimeUnit.Nanosecond => values[i] / 1_000,
                _ => values[i],
            };
            hashes[i] = column.IsNull(i) ? NullHash : Long(micros);
        }
    }

    private static void FixedWidth(IArrowArray column, ReadOnlySpan<byte> buffer, int width, Span<ulong> hashes)
    {
        var bytes = buffer.Slice(column.Offset * width, column.Length * width);
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = column.IsNull(i) ? NullHash : XxHash3.HashToUInt64(bytes.Slice(i * width, width));
        }
    }

    /// <summary>Each dictionary entry is hashed once; rows take their entry's hash.</summary>
    private static void Dictionary(DictionaryArray column, Span<ulong> hashes)
    {
        var entries = Values(column.Dictionary);
        var indices = column.Indices;
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = column.IsNull(i) ? NullHash : entries[Index(indices, i)];
        }
    }

    private static int Index(IArrowArray indices, int i) => indices switch
    {
        Int8Array a => a.Values[i],
        Int16Array a => a.Values[i],
        Int32Array a => a.Values[i],
        Int64Array a => checked((int)a.Values[i]),
        UInt8Array a => a.Values[i],
        UInt16Array a => a.Values[i],
        UInt32Array a => checked((int)a.Values[i]),
        _ => throw new NotSupportedException($"Dictionary indices of type {indices.Data.DataType.Name} are not supported"),
    };

    private static void Struct(StructArray column, Span<ulong> hashes)
    {
        hashes.Clear();
        foreach (var field in column.Fields)
        {
            // Arrow gives a sliced struct's fields sliced with it; a child longer than the struct was never sliced.
            Fold(hashes, Values(field.Length == column.Length ? field : ArrowArrayFactory.Slice(field, column.Offset, column.Length)));
        }

        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = column.IsNull(i) ? NullHash : hashes[i];
        }
    }

    private static void List(ListArray column, Span<ulong> hashes)
    {
        var elements = Values(column.Values);
        for (var i = 0; i < hashes.Length; i++)
        {
            if (column.IsNull(i))
            {
                hashes[i] = NullHash;
                continue;
            }

            var (start, end) = (column.ValueOffsets[i], column.ValueOffsets[i + 1]);
            var hash = Long(end - start);
            for (var e = start; e < end; e++)
            {
                hash = Fold(hash, elements[e]);
            }

            hashes[i] = hash;
        }
    }

    private static ulong Long(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return XxHash3.HashToUInt64(bytes);
    }

    private static ulong Double(double value) =>
        Long(BitConverter.DoubleToInt64Bits(FloatKeys.Normalize(value)));
}
