using Apache.Arrow;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Per-row hashes and cross-column equality of key columns, computed on the typed buffers (no
/// per-row objects). Used by joins to match rows of two inputs whose key columns have the same type.
/// </summary>
internal static class KeyHashing
{
    /// <summary>Combines each row's value of <paramref name="column"/> into <paramref name="hashes"/>; marks null keys.</summary>
    public static void Hash(IArrowArray column, Span<long> hashes, Span<bool> hasNull)
    {
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsNull(i))
            {
                hasNull[i] = true;
                continue;
            }

            hashes[i] = (hashes[i] * 31) + ValueHash(column, i);
        }
    }

    /// <summary>Row <c>i</c> of <paramref name="left"/> equals row <c>j</c> of <paramref name="right"/> (both non-null, same type).</summary>
    public static Func<int, int, bool> Equality(IArrowArray left, IArrowArray right) => (left, right) switch
    {
        (BooleanArray a, BooleanArray b) => (i, j) => a.GetValue(i) == b.GetValue(j),
        (Int8Array a, Int8Array b) => (i, j) => a.Values[i] == b.Values[j],
        (Int16Array a, Int16Array b) => (i, j) => a.Values[i] == b.Values[j],
        (Int32Array a, Int32Array b) => (i, j) => a.Values[i] == b.Values[j],
        (Date32Array a, Date32Array b) => (i, j) => a.Values[i] == b.Values[j],
        (Int64Array a, Int64Array b) => (i, j) => a.Values[i] == b.Values[j],
        (TimestampArray a, TimestampArray b) => (i, j) => a.Values[i] == b.Values[j],
        (FloatArray a, FloatArray b) => (i, j) => a.Values[i].Equals(b.Values[j]),
        (DoubleArray a, DoubleArray b) => (i, j) => a.Values[i].Equals(b.Values[j]),
        (Decimal128Array a, Decimal128Array b) => (i, j) => a.GetSqlDecimal(i)!.Value.CompareTo(b.GetSqlDecimal(j)!.Value) == 0,
        (BinaryArray a, BinaryArray b) => (i, j) => a.GetBytes(i).SequenceEqual(b.GetBytes(j)),
        _ => throw new NotSupportedException($"Join keys of types {left.Data.DataType.Name} and {right.Data.DataType.Name} are not supported"),
    };

    private static long ValueHash(IArrowArray column, int i) => column switch
    {
        BooleanArray a => a.GetValue(i)!.Value ? 1 : 2,
        Int8Array a => a.Values[i],
        Int16Array a => a.Values[i],
        Int32Array a => a.Values[i],
        Date32Array a => a.Values[i],
        Int64Array a => a.Values[i],
        TimestampArray a => a.Values[i],
        FloatArray a => a.Values[i].GetHashCode(),
        DoubleArray a => a.Values[i].GetHashCode(),
        Decimal128Array a => a.GetSqlDecimal(i)!.Value.GetHashCode(),
        BinaryArray a => BytesHash(a.GetBytes(i)),
        _ => throw new NotSupportedException($"Join keys of type {column.Data.DataType.Name} are not supported"),
    };

    private static long BytesHash(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
