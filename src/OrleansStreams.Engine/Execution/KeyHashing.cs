using Apache.Arrow;
using OrleansStreams.Engine.Common;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Per-row hashes and cross-column equality of key columns, computed on the typed buffers (no
/// per-row objects). Used by joins to match rows of two inputs whose key columns have the same type.
/// </summary>
internal static class KeyHashing
{
    /// <summary>Each row's <see cref="StableHash"/> of the key columns, and which rows have a NULL in any key (they never match).</summary>
    public static (ulong[] Hashes, bool[] HasNull) Hash(IReadOnlyList<IArrowArray> keys, int rows)
    {
        var hasNull = new bool[rows];
        foreach (var key in keys)
        {
            for (var i = 0; i < rows; i++)
            {
                hasNull[i] |= key.IsNull(i);
            }
        }

        return (StableHash.Rows(keys, rows), hasNull);
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
}
