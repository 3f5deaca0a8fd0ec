using System.Numerics;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Casts;

/// <summary>
/// CASTs among numbers, booleans and timestamps, with Java's conversions (Spark non-ANSI):
/// integers narrow by wrapping, floating → integer truncates and saturates at int/long bounds
/// (NaN → 0), a number → timestamp counts seconds since the epoch, a timestamp → integer is
/// whole seconds (floor), and a value that overflows a decimal's precision becomes NULL.
/// Each source first widens into one of three carriers — long, double or decimal — then one
/// typed loop per carrier writes the target.
/// </summary>
internal static class NumericCasts
{
    /// <summary>Doubles at or beyond System.Decimal's range (NaN and infinities too) fit no decimal type: they cast to NULL.</summary>
    private const double MaxDecimal = 7.9e28;

    public static IArrowArray Cast(IArrowArray source, DataType from, DataType to)
    {
        var valid = new Validity(source);
        switch (from)
        {
            case BooleanType:
                var bits = new long[source.Length];
                var values = source.Data.Buffers[1].Span;
                for (var i = 0; i < bits.Length; i++)
                {
                    bits[i] = valid.IsValid(i) && BitUtility.GetBit(values, source.Offset + i) ? 1 : 0;
                }

                return FromLong(bits, valid, to);
            case ByteType:
                return FromLong(Widen<sbyte>(source), valid, to);
            case ShortType:
                return FromLong(Widen<short>(source), valid, to);
            case IntegerType:
                return FromLong(Widen<int>(source), valid, to);
            case LongType:
                return FromLong(Columns.Values<long>(source), valid, to);
            case FloatType:
                var floats = Columns.Values<float>(source);
                var doubles = new double[floats.Length];
                for (var i = 0; i < doubles.Length; i++)
                {
                    doubles[i] = floats[i];
                }

                return FromDouble(doubles, valid, to);
            case DoubleType:
                return FromDouble(Columns.Values<double>(source), valid, to);
            case DecimalType:
                return FromDecimal(DecimalValues.Read(source), valid, to);
            case TimestampType:
                var micros = Columns.Values<long>(source);
                if (to.IsIntegral || to is BooleanType)
                {
                    var seconds = new long[micros.Length];
                    for (var i = 0; i < seconds.Length; i++)
                    {
                        seconds[i] = to is BooleanType ? micros[i] : Time.CivilTime.FloorDiv(micros[i], Time.CivilTime.MicrosPerSecond);
                    }

                    return FromLong(seconds, valid, to);
                }

                var exact = new decimal[micros.Length];
                for (var i = 0; i < exact.Length; i++)
                {
                    exact[i] = micros[i] / 1_000_000m;
                }

                return to is DecimalType ? FromDecimal(exact, valid, to) : FromDouble(exact.Select(m => (double)m).ToArray(), valid, to);
            default:
                throw new NotSupportedException($"cannot cast {from.SimpleString} to {to.SimpleString}");
        }
    }

    private static long[] Widen<T>(IArrowArray source)
        where T : unmanaged, IBinaryInteger<T>
    {
        var values = Columns.Values<T>(source);
        var result = new long[values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = long.CreateTruncating(values[i]);
        }

        return result;
    }

    private static IArrowArray FromLong(ReadOnlySpan<long> values, in Validity valid, DataType to)
    {
        switch (to)
        {
            case ByteType:
                return Write<long, sbyte>(values, valid, to, static v => sbyte.CreateTruncating(v));
            case ShortType:
                return Write<long, short>(values, valid, to, static v => short.CreateTruncating(v));
            case IntegerType:
                return Write<long, int>(values, valid, to, static v => int.CreateTruncating(v));
            case LongType:
                return Write<long, long>(values, valid, to, static v => v);
            case FloatType:
                return Write<long, float>(values, valid, to, static v => v);
            case DoubleType:
                return Write<long, double>(values, valid, to, static v => v);
            case TimestampType:
                return Write<long, long>(values, valid, to, static v => SecondsToMicros(v));
            case BooleanType:
                return ToBooleans(values, valid);
            case DecimalType d:
                return ToDecimals(values, valid, d, static v => v);
            default:
                throw new NotSupportedException($"cannot cast an integral value to {to.SimpleString}");
        }
    }

    private static IArrowArray FromDouble(ReadOnlySpan<double> values, in Validity valid, DataType to)
    {
        switch (to)
        {
            case ByteType:
                return Write<double, sbyte>(values, valid, to, static v => sbyte.CreateTruncating(int.CreateSaturating(v)));
            case ShortType:
                return Write<double, short>(values, valid, to, static v => short.CreateTruncating(int.CreateSaturating(v)));
            case IntegerType:
                return Write<double, int>(values, valid, to, static v => int.CreateSaturating(v));
            case LongType:
                return Write<double, long>(values, valid, to, static v => long.CreateSaturating(v));
            case FloatType:
                return Write<double, float>(values, valid, to, static v => (float)v);
            case DoubleType:
                return Write<double, double>(values, valid, to, static v => v);
            case TimestampType:
                return Write<double, long>(values, valid, to, static v => double.IsFinite(v) ? long.CreateSaturating(v * 1_000_000d) : null);
            case BooleanType:
                return ToBooleans(values, valid);
            case DecimalType d:
                return ToDecimals(values, valid, d, static v => double.IsFinite(v) && Math.Abs(v) < MaxDecimal ? (decimal)v : null);
            default:
                throw new NotSupportedException($"cannot cast a floating-point value to {to.SimpleString}");
        }
    }

    private static IArrowArray FromDecimal(ReadOnlySpan<decimal> values, in Validity valid, DataType to)
    {
        switch (to)
        {
            case ByteType:
                return Write<decimal, sbyte>(values, valid, to, static v => sbyte.CreateTruncating(long.CreateSaturating(decimal.Truncate(v))));
            case ShortType:
                return Write<decimal, short>(values, valid, to, static v => short.CreateTruncating(long.CreateSaturating(decimal.Truncate(v))));
            case IntegerType:
                return Write<decimal, int>(values, valid, to, static v => int.CreateTruncating(long.CreateSaturating(decimal.Truncate(v))));
            case LongType:
                return Write<decimal, long>(values, valid, to, static v => long.CreateSaturating(decimal.Truncate(v)));
            case FloatType:
                return Write<decimal, float>(values, valid, to, static v => (float)v);
            case DoubleType:
                return Write<decimal, double>(values, valid, to, static v => (double)v);
            case TimestampType:
                return Write<decimal, long>(values, valid, to, static v => long.CreateSaturating(decimal.Truncate(v * 1_000_000m)));
            case BooleanType:
                return ToBooleans(values, valid);
            case DecimalType d:
                return ToDecimals(values, valid, d, static v => v);
            default:
                throw new NotSupportedException($"cannot cast a decimal value to {to.SimpleString}");
        }
    }

    /// <summary>One typed loop: the converter is a static lambda, so the JIT sees one delegate per cast and nothing boxes.</summary>
    private static IArrowArray Write<TIn, TOut>(ReadOnlySpan<TIn> values, in Validity valid, DataType to, Func<TIn, TOut?> convert)
        where TOut : unmanaged
    {
        var result = new PrimitiveColumn<TOut>(values.Length);
        var output = result.Values;
        for (var i = 0; i < output.Length; i++)
        {
            if (valid.IsValid(i) && convert(values[i]) is { } v)
            {
                output[i] = v;
            }
            else
            {
                result.SetNull(i);
            }
        }

        return result.Build(ArrowTypes.ToArrow(to));
    }

    /// <summary>Non-zero is true, as in Java.</summary>
    private static IArrowArray ToBooleans<T>(ReadOnlySpan<T> values, in Validity valid)
        where T : INumberBase<T>
    {
        var bools = new BooleanColumn(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (valid.IsValid(i))
            {
                bools.Set(i, !T.IsZero(values[i]));
            }
            else
            {
                bools.SetNull(i);
            }
        }

        return bools.Build();
    }

    /// <summary>Decimals of the target's precision and scale (the column makes a value that does not fit NULL).</summary>
    private static IArrowArray ToDecimals<T>(ReadOnlySpan<T> values, in Validity valid, DecimalType type, Func<T, decimal?> convert)
    {
        var decimals = new DecimalColumn(type, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (valid.IsValid(i) && convert(values[i]) is { } value)
            {
                decimals.Set(i, value);
            }
            else
            {
                decimals.SetNull(i);
            }
        }

        return decimals.Build();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SecondsToMicros(long seconds) =>
        seconds > long.MaxValue / 1_000_000 ? long.MaxValue : seconds < long.MinValue / 1_000_000 ? long.MinValue : seconds * 1_000_000;
}
