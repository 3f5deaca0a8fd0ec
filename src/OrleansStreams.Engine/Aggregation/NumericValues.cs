using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>Typed, allocation-free access to a numeric input column, chosen once per batch.</summary>
internal static class NumericValues
{
    /// <summary>Integral, date and timestamp columns widened to long.</summary>
    public static long[] AsLongs(IArrowArray column) => column switch
    {
        Int8Array a => Widen(a.Values, v => (long)v),
        Int16Array a => Widen(a.Values, v => (long)v),
        Int32Array a => Widen(a.Values, v => (long)v),
        Date32Array a => Widen(a.Values, v => (long)v),
        Int64Array a => a.Values.ToArray(),
        TimestampArray a => a.Values.ToArray(),
        BooleanArray a => Enumerable.Range(0, a.Length).Select(i => a.GetValue(i) == true ? 1L : 0L).ToArray(),
        _ => throw new NotSupportedException($"{column.Data.DataType.Name} is not an integral column"),
    };

    public static double[] AsDoubles(IArrowArray column) => column switch
    {
        FloatArray a => Widen(a.Values, v => (double)v),
        DoubleArray a => a.Values.ToArray(),
        Decimal128Array a => DecimalValues.Read(a).Select(v => (double)v).ToArray(),
        _ => AsLongs(column).Select(v => (double)v).ToArray(),
    };

    private static TOut[] Widen<TIn, TOut>(ReadOnlySpan<TIn> values, Func<TIn, TOut> widen)
    {
        var result = new TOut[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = widen(values[i]);
        }

        return result;
    }
}
