using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Builds the Arrow column of one leaf for the given slots: a slot whose entry is fully defined takes
/// the next dense value, converted to the Spark type asked for (INT96 and microsecond timestamps both
/// become microseconds); any other slot is NULL. The conversions include every widening Delta's
/// typeWidening feature allows (integers to wider integers, double or decimal; float to double; date to
/// timestamp_ntz; decimals to more digits), so files written before a type change read in the table's
/// type in the same pass that decodes them.
/// </summary>
internal static class LeafColumns
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static IArrowArray Build(DataType type, ParquetLeaf leaf, int[] slots) => (type, leaf.Values) switch
    {
        (BooleanType, bool[] v) => Booleans(leaf, slots, v),
        (ByteType, sbyte[] v) => Fixed(type, leaf, slots, v, x => x),
        (ByteType, byte[] v) => Fixed(type, leaf, slots, v, x => (sbyte)x),
        (ShortType, short[] v) => Fixed(type, leaf, slots, v, x => x),
        (ShortType, sbyte[] v) => Fixed(type, leaf, slots, v, x => (short)x),
        (IntegerType, int[] v) => Fixed(type, leaf, slots, v, x => x),
        (IntegerType, short[] v) => Fixed(type, leaf, slots, v, x => (int)x),
        (IntegerType, sbyte[] v) => Fixed(type, leaf, slots, v, x => (int)x),
        (LongType, long[] v) => Fixed(type, leaf, slots, v, x => x),
        (LongType, int[] v) => Fixed(type, leaf, slots, v, x => (long)x),
        (LongType, short[] v) => Fixed(type, leaf, slots, v, x => (long)x),
        (LongType, sbyte[] v) => Fixed(type, leaf, slots, v, x => (long)x),
        (FloatType, float[] v) => Fixed(type, leaf, slots, v, x => x),
        (DoubleType, double[] v) => Fixed(type, leaf, slots, v, x => x),
        (DoubleType, float[] v) => Fixed(type, leaf, slots, v, x => (double)x),
        (DoubleType, int[] v) => Fixed(type, leaf, slots, v, x => (double)x),
        (DoubleType, short[] v) => Fixed(type, leaf, slots, v, x => (double)x),
        (DoubleType, sbyte[] v) => Fixed(type, leaf, slots, v, x => (double)x),
        (DateType, DateOnly[] v) => Fixed(type, leaf, slots, v, x => x.DayNumber - EpochDay),
        (DateType, DateTime[] v) => Fixed(type, leaf, slots, v, x => (int)((x.Ticks - EpochTicks) / TimeSpan.TicksPerDay)),
        (TimestampType or TimestampNtzType, DateTime[] v) => Fixed(type, leaf, slots, v, x => (x.Ticks - EpochTicks) / 10),
        (TimestampType or TimestampNtzType, long[] v) => Fixed(type, leaf, slots, v, x => x),
        (TimestampNtzType, DateOnly[] v) => Fixed(type, leaf, slots, v, x => (x.DayNumber - EpochDay) * MicrosPerDay),
        (DecimalType d, decimal[] v) => Decimals(d, leaf, slots, v),
        (DecimalType d, UnscaledDecimals v) => Fixed(type, leaf, slots, v.Values, x => Rescale(x, v.Scale, d.Scale)),
        (DecimalType d, long[] v) => FixedScaled(d, leaf, slots, v, x => x),
        (DecimalType d, int[] v) => FixedScaled(d, leaf, slots, v, x => x),
        (DecimalType d, short[] v) => FixedScaled(d, leaf, slots, v, x => x),
        (DecimalType d, sbyte[] v) => FixedScaled(d, leaf, slots, v, x => x),
        (StringType or BinaryType, ReadOnlyMemory<byte>[] v) => Bytes(type, leaf, slots, v),
        _ => throw new NotSupportedException(
            $"Parquet column {leaf.Field.Path} holds {leaf.Values.GetType().Name} values, which cannot be read as {type.SimpleString}"),
    };

    private const long MicrosPerDay = 86_400_000_000L;

    /// <summary>Integers read as a decimal: the unscaled value is the integer times 10^scale.</summary>
    private static IArrowArray FixedScaled<TIn>(DecimalType type, ParquetLeaf leaf, int[] slots, TIn[] values, Func<TIn, long> toLong)
    {
        var factor = Rescale(Int128.One, 0, type.Scale);
        return Fixed(type, leaf, slots, values, x => toLong(x) * factor);
    }

    private static Int128 Rescale(Int128 unscaled, int from, int to)
    {
        for (; from < to; from++)
        {
            unscaled *= 10;
        }

        for (; from > to; from--)
        {
            unscaled /= 10;
        }

        return unscaled;
    }

    private static IArrowArray Fixed<TIn, TOut>(DataType type, ParquetLeaf leaf, int[] slots, TIn[] values, Func<TIn, TOut> convert)
        where TOut : unmanaged
    {
        var column = new PrimitiveColumn<TOut>(slots.Length);
        var output = column.Values;
        for (var i = 0; i < slots.Length; i++)
        {
            var e = slots[i];
            if (leaf.IsDefined(e))
            {
                output[i] = convert(values[leaf.DenseIndex[e]]);
            }
            else
            {
                column.SetNull(i);
            }
        }

        return column.Build(ArrowTypes.ToArrow(type));
    }

    private static IArrowArray Booleans(ParquetLeaf leaf, int[] slots, bool[] values)
    {
        var column = new BooleanColumn(slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var e = slots[i];
            if (leaf.IsDefined(e))
            {
                column.Set(i, values[leaf.DenseIndex[e]]);
            }
            else
            {
                column.SetNull(i);
            }
        }

        return column.Build();
    }

    private static IArrowArray Decimals(DecimalType type, ParquetLeaf leaf, int[] slots, decimal[] values)
    {
        var column = new DecimalColumn(type, slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var e = slots[i];
            if (leaf.IsDefined(e))
            {
                column.Set(i, values[leaf.DenseIndex[e]]);
            }
            else
            {
                column.SetNull(i);
            }
        }

        return column.Build();
    }

    private static IArrowArray Bytes(DataType type, ParquetLeaf leaf, int[] slots, ReadOnlyMemory<byte>[] values)
    {
        var column = new Utf8Column(slots.Length);
        for (var i = 0; i < slots.Length; i++)
        {
            var e = slots[i];
            if (leaf.IsDefined(e))
            {
                column.Append(values[leaf.DenseIndex[e]].Span);
            }
            else
            {
                column.AppendNull();
            }
        }

        return column.Build(ArrowTypes.ToArrow(type));
    }
}
