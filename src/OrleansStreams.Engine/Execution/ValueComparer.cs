using Apache.Arrow;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Compares two rows of one column by value, with Spark's ordering (NaN above every other double,
/// strings by UTF-8 bytes). The comparison is chosen once per column, then runs on the typed buffers.
/// Nulls are the caller's concern.
/// </summary>
internal static class ValueComparer
{
    public static Func<int, int, int> For(IArrowArray column) => column switch
    {
        BooleanArray a => (i, j) => a.GetValue(i)!.Value.CompareTo(a.GetValue(j)!.Value),
        Int8Array a => Compare(a.Values),
        Int16Array a => Compare(a.Values),
        Int32Array a => Compare(a.Values),
        Date32Array a => Compare(a.Values),
        Int64Array a => Compare(a.Values),
        TimestampArray a => Compare(a.Values),
        FloatArray a => CompareFloating(a.Values.ToArray().Select(v => (double)v).ToArray()),
        DoubleArray a => CompareFloating(a.Values.ToArray()),
        Decimal128Array a => (i, j) => a.GetSqlDecimal(i)!.Value.CompareTo(a.GetSqlDecimal(j)!.Value),
        BinaryArray a => (i, j) => a.GetBytes(i).SequenceCompareTo(a.GetBytes(j)),
        _ => throw new NotSupportedException($"Ordering by a column of type {column.Data.DataType.Name} is not supported"),
    };

    private static Func<int, int, int> CompareFloating(double[] array) =>
        (i, j) => double.IsNaN(array[i]) ? (double.IsNaN(array[j]) ? 0 : 1) : double.IsNaN(array[j]) ? -1 : array[i].CompareTo(array[j]);

    private static Func<int, int, int> Compare<T>(ReadOnlySpan<T> values)
        where T : struct, IComparable<T>
    {
        var array = values.ToArray();
        return (i, j) => array[i].CompareTo(array[j]);
    }
}
