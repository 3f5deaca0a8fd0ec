using Apache.Arrow;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// A column's values in a form that orders across columns of the same type (greatest, least):
/// integers, dates and timestamps as longs, floats as doubles (NaN above all, as in Spark),
/// decimals as decimals, strings by UTF-8 bytes.
/// </summary>
public sealed class ValueOrder
{
    private long[]? longs;
    private double[]? doubles;
    private decimal[]? decimals;
    private BinaryArray? bytes;

    public static ValueOrder For(IArrowArray column) => column switch
    {
        FloatArray f => new ValueOrder { doubles = f.Values.ToArray().Select(v => (double)v).ToArray() },
        DoubleArray d => new ValueOrder { doubles = d.Values.ToArray() },
        Decimal128Array m => new ValueOrder { decimals = DecimalValues.Read(m) },
        BinaryArray b => new ValueOrder { bytes = b },
        Int8Array a => new ValueOrder { longs = a.Values.ToArray().Select(v => (long)v).ToArray() },
        Int16Array a => new ValueOrder { longs = a.Values.ToArray().Select(v => (long)v).ToArray() },
        Int32Array a => new ValueOrder { longs = a.Values.ToArray().Select(v => (long)v).ToArray() },
        Date32Array a => new ValueOrder { longs = a.Values.ToArray().Select(v => (long)v).ToArray() },
        Int64Array a => new ValueOrder { longs = a.Values.ToArray() },
        TimestampArray a => new ValueOrder { longs = a.Values.ToArray() },
        _ => throw new NotSupportedException($"ordering {column.Data.DataType.Name} values is not supported"),
    };

    public static int Compare(ValueOrder a, int i, ValueOrder b, int j)
    {
        if (a.longs is not null)
        {
            return a.longs[i].CompareTo(b.longs![j]);
        }

        if (a.doubles is not null)
        {
            var (x, y) = (a.doubles[i], b.doubles![j]);
            return double.IsNaN(x) ? (double.IsNaN(y) ? 0 : 1) : double.IsNaN(y) ? -1 : x.CompareTo(y);
        }

        if (a.decimals is not null)
        {
            return a.decimals[i].CompareTo(b.decimals![j]);
        }

        return a.bytes!.GetBytes(i).SequenceCompareTo(b.bytes!.GetBytes(j));
    }
}
