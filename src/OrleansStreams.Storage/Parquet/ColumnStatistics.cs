using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Null count, min and max of one column over everything written to a file, as engine scalars
/// (long micros for timestamps, int days for dates, decimal, string). Min/max are left null when
/// they would not be exact bounds (NaN present, or no non-null value).
/// </summary>
public sealed class ColumnStatistics
{
    public long NullCount { get; private set; }

    public object? Min { get; private set; }

    public object? Max { get; private set; }

    private bool unordered;

    /// <summary>Folds a batch's column in, a typed pass over its values.</summary>
    public void Add(IArrowArray column)
    {
        NullCount += column.NullCount;
        switch (column)
        {
            case Int8Array a: Fold(a.Values, column, v => (long)v); break;
            case Int16Array a: Fold(a.Values, column, v => (long)v); break;
            case Int32Array a: Fold(a.Values, column, v => (long)v); break;
            case Int64Array a: Fold(a.Values, column, v => v); break;
            case Date32Array a: Fold(a.Values, column, v => (long)v); break;
            case TimestampArray a: Fold(a.Values, column, v => v); break;
            case FloatArray a: FoldFloating(a.Values.ToArray().Select(v => (double)v).ToArray(), column); break;
            case DoubleArray a: FoldFloating(a.Values.ToArray(), column); break;
            case Decimal128Array a: FoldDecimal(DecimalValues.Read(a), column); break;
            case StringArray a: FoldStrings(a); break;
            default: unordered = true; break; // booleans, binary and nested types carry no min/max in Delta stats
        }
    }

    private void Fold<T>(ReadOnlySpan<T> values, IArrowArray column, Func<T, long> widen)
        where T : struct
    {
        long? min = Min is null ? null : Convert.ToInt64(Min, System.Globalization.CultureInfo.InvariantCulture);
        long? max = Max is null ? null : Convert.ToInt64(Max, System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < values.Length; i++)
        {
            if (column.IsNull(i))
            {
                continue;
            }

            var v = widen(values[i]);
            min = min is null || v < min ? v : min;
            max = max is null || v > max ? v : max;
        }

        (Min, Max) = (min, max);
    }

    private void FoldFloating(double[] values, IArrowArray column)
    {
        double? min = Min as double?;
        double? max = Max as double?;
        for (var i = 0; i < values.Length; i++)
        {
            if (column.IsNull(i))
            {
                continue;
            }

            if (double.IsNaN(values[i]))
            {
                unordered = true;
                continue;
            }

            min = min is null || values[i] < min ? values[i] : min;
            max = max is null || values[i] > max ? values[i] : max;
        }

        (Min, Max) = (min, max);
    }

    private void FoldDecimal(decimal[] values, IArrowArray column)
    {
        decimal? min = Min as decimal?;
        decimal? max = Max as decimal?;
        for (var i = 0; i < values.Length; i++)
        {
            if (!column.IsNull(i))
            {
                min = min is null || values[i] < min ? values[i] : min;
                max = max is null || values[i] > max ? values[i] : max;
            }
        }

        (Min, Max) = (min, max);
    }

    private void FoldStrings(StringArray column)
    {
        byte[]? min = Min is string smin ? System.Text.Encoding.UTF8.GetBytes(smin) : null;
        byte[]? max = Max is string smax ? System.Text.Encoding.UTF8.GetBytes(smax) : null;
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsNull(i))
            {
                continue;
            }

            var v = column.GetBytes(i);
            if (min is null || v.SequenceCompareTo(min) < 0)
            {
                min = v.ToArray();
            }

            if (max is null || v.SequenceCompareTo(max) > 0)
            {
                max = v.ToArray();
            }
        }

        Min = min is null ? null : System.Text.Encoding.UTF8.GetString(min);
        Max = max is null ? null : System.Text.Encoding.UTF8.GetString(max);
    }

    /// <summary>Whether min/max are exact bounds that readers may skip files by.</summary>
    public bool HasBounds => !unordered && Min is not null;
}
