using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Null count, min and max of one column over everything written to a file, as engine scalars
/// (long micros for timestamps, int days for dates, decimal, string). Min/max are left null when
/// they would not be exact bounds (NaN present, or no non-null value).
/// </summary>
/// <remarks>
/// Each batch's column is one typed loop over its Arrow buffers: the running bounds live in typed fields
/// (decimals as unscaled integers, strings as UTF-8 bytes compared ordinally), and <see cref="Min"/> and
/// <see cref="Max"/> are boxed once per batch, never per value.
/// </remarks>
public sealed class ColumnStatistics
{
    private bool unordered;
    private bool hasBounds;
    private long longMin;
    private long longMax;
    private double doubleMin;
    private double doubleMax;
    private Int128 unscaledMin;
    private Int128 unscaledMax;
    private byte[]? utf8Min;
    private byte[]? utf8Max;

    public long NullCount { get; private set; }

    public object? Min { get; private set; }

    public object? Max { get; private set; }

    /// <summary>Whether min/max are exact bounds that readers may skip files by.</summary>
    public bool HasBounds => !unordered && Min is not null;

    /// <summary>Folds a batch's column in, a typed pass over its values.</summary>
    public void Add(IArrowArray column)
    {
        NullCount += column.NullCount;
        switch (column)
        {
            case Int8Array a: FoldIntegers(a.Values, column); break;
            case Int16Array a: FoldIntegers(a.Values, column); break;
            case Int32Array a: FoldIntegers(a.Values, column); break;
            case Int64Array a: FoldIntegers(a.Values, column); break;
            case Date32Array a: FoldIntegers(a.Values, column); break;
            case TimestampArray a: FoldIntegers(a.Values, column); break;
            case FloatArray a: FoldFloating(a.Values, column); break;
            case DoubleArray a: FoldFloating(a.Values, column); break;
            case Decimal128Array a: FoldDecimals(a); break;
            case StringArray a: FoldStrings(a); break;
            default: unordered = true; break; // booleans, binary and nested types carry no min/max in Delta stats
        }
    }

    /// <summary>The column's validity bitmap, empty when it has no nulls (the loops then skip the bit test).</summary>
    private static ReadOnlySpan<byte> Validity(IArrowArray column) =>
        column.NullCount == 0 ? default : column.Data.Buffers[0].Span;

    private static bool IsValid(ReadOnlySpan<byte> validity, int offset, int i) =>
        validity.IsEmpty || BitUtility.GetBit(validity, offset + i);

    private void FoldIntegers<T>(ReadOnlySpan<T> values, IArrowArray column)
        where T : unmanaged, IBinaryInteger<T>
    {
        // The sentinels lose to any value (or equal it), so the loop needs no "first value" test.
        var (min, max) = hasBounds ? (longMin, longMax) : (long.MaxValue, long.MinValue);
        var validity = Validity(column);
        var offset = column.Offset;
        var any = false;
        for (var i = 0; i < values.Length; i++)
        {
            if (IsValid(validity, offset, i))
            {
                var v = long.CreateTruncating(values[i]);
                min = v < min ? v : min;
                max = v > max ? v : max;
                any = true;
            }
        }

        if (any)
        {
            (longMin, longMax, hasBounds) = (min, max, true);
            (Min, Max) = (longMin, longMax);
        }
    }

    /// <summary>Bounds over the non-NaN values; a NaN makes the column unordered (NaN is neither above nor below).</summary>
    private void FoldFloating<T>(ReadOnlySpan<T> values, IArrowArray column)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Strict compares against infinite sentinels keep the first of equal values (0.0 before -0.0 stays 0.0), as before.
        var (min, max) = hasBounds ? (doubleMin, doubleMax) : (double.PositiveInfinity, double.NegativeInfinity);
        var validity = Validity(column);
        var offset = column.Offset;
        var any = false;
        for (var i = 0; i < values.Length; i++)
        {
            if (!IsValid(validity, offset, i))
            {
                continue;
            }

            var v = double.CreateTruncating(values[i]);
            if (double.IsNaN(v))
            {
                unordered = true;
                continue;
            }

            min = v < min ? v : min;
            max = v > max ? v : max;
            any = true;
        }

        if (any)
        {
            (doubleMin, doubleMax, hasBounds) = (min, max, true);
            (Min, Max) = (doubleMin, doubleMax);
        }
    }

    /// <summary>
    /// Compares the unscaled values (one scale for the whole column, so their order is the decimals' order) and
    /// converts only the bounds, which overflow <see cref="decimal"/> whenever any value would.
    /// </summary>
    private void FoldDecimals(Decimal128Array column)
    {
        var data = column.Data;
        var values = MemoryMarshal.Cast<byte, Int128>(data.Buffers[1].Span).Slice(data.Offset, data.Length);
        var (min, max) = hasBounds ? (unscaledMin, unscaledMax) : (Int128.MaxValue, Int128.MinValue);
        var validity = Validity(column);
        var offset = column.Offset;
        var any = false;
        for (var i = 0; i < values.Length; i++)
        {
            if (IsValid(validity, offset, i))
            {
                min = values[i] < min ? values[i] : min;
                max = values[i] > max ? values[i] : max;
                any = true;
            }
        }

        if (any)
        {
            var scale = ((Apache.Arrow.Types.Decimal128Type)data.DataType).Scale;
            (Min, Max) = (DecimalValues.ToDecimal(min, scale), DecimalValues.ToDecimal(max, scale));
            (unscaledMin, unscaledMax, hasBounds) = (min, max, true);
        }
    }

    /// <summary>
    /// Ordinal UTF-8 bounds: the batch's least and greatest values are found as spans of its buffer, and only they
    /// are copied (a value below the min cannot also be above the max, so most values take one compare).
    /// </summary>
    private void FoldStrings(StringArray column)
    {
        var offsets = column.ValueOffsets;
        var bytes = column.ValueBuffer.Span;
        var validity = Validity(column);
        var offset = column.Offset;
        ReadOnlySpan<byte> min = utf8Min;
        ReadOnlySpan<byte> max = utf8Max;
        var any = utf8Min is not null;
        var (newMin, newMax) = (false, false);
        for (var i = 0; i < column.Length; i++)
        {
            if (!IsValid(validity, offset, i))
            {
                continue;
            }

            var v = bytes[offsets[i]..offsets[i + 1]];
            if (!any)
            {
                min = v;
                max = v;
                (any, newMin, newMax) = (true, true, true);
            }
            else if (v.SequenceCompareTo(min) < 0)
            {
                min = v;
                newMin = true;
            }
            else if (v.SequenceCompareTo(max) > 0)
            {
                max = v;
                newMax = true;
            }
        }

        if (newMin)
        {
            utf8Min = min.ToArray();
            Min = System.Text.Encoding.UTF8.GetString(utf8Min);
        }

        if (newMax)
        {
            utf8Max = max.ToArray();
            Max = System.Text.Encoding.UTF8.GetString(utf8Max);
        }
    }
}
