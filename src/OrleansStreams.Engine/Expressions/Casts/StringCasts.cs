using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Casts;

/// <summary>
/// CASTs to and from strings with Spark's non-ANSI rules: text is trimmed, unparsable text gives
/// NULL, <c>'1.5'</c> → INT is 1, booleans accept t/true/y/yes/1 and f/false/n/no/0, dates and
/// timestamps read and print ISO forms in the session time zone. Values are formatted straight
/// into the output UTF-8 buffer.
/// </summary>
internal static class StringCasts
{
    public static IArrowArray ToStringColumn(IArrowArray source, DataType from, ZoneRules zone)
    {
        if (from is BinaryType)
        {
            return BinaryToString((BinaryArray)source);
        }

        var n = source.Length;
        var valid = new Validity(source);
        var result = new Utf8Column(n, n * 8);
        for (var i = 0; i < n; i++)
        {
            if (!valid.IsValid(i))
            {
                result.AppendNull();
                continue;
            }

            var dest = result.GetSpan(64);
            result.Advance(from switch
            {
                BooleanType => Copy(((BooleanArray)source).GetValue(i) == true ? "true"u8 : "false"u8, dest),
                ByteType => Format(Columns.Values<sbyte>(source)[i], dest),
                ShortType => Format(Columns.Values<short>(source)[i], dest),
                IntegerType => Format(Columns.Values<int>(source)[i], dest),
                LongType => Format(Columns.Values<long>(source)[i], dest),
                FloatType => JavaNumberText.Write(Columns.Values<float>(source)[i], isFloat: true, dest),
                DoubleType => JavaNumberText.Write(Columns.Values<double>(source)[i], isFloat: false, dest),
                DecimalType d => Format(DecimalValues.ToDecimal(Columns.Values<Int128>(source)[i], d.Scale), dest),
                DateType => DateTimeText.WriteDate(Columns.Values<int>(source)[i], dest),
                TimestampType => DateTimeText.WriteTimestamp(Columns.Values<long>(source)[i], zone, dest),
                TimestampNtzType => DateTimeText.WriteTimestamp(Columns.Values<long>(source)[i], ZoneRules.Utc, dest),
                _ => throw new NotSupportedException($"cannot cast {from.SimpleString} to string"),
            });
            result.EndRow();
        }

        return result.Build(Apache.Arrow.Types.StringType.Default);
    }

    public static IArrowArray FromStringColumn(IArrowArray source, DataType to, ZoneRules zone)
    {
        var strings = (BinaryArray)source;
        var n = source.Length;
        var valid = new Validity(source);
        switch (to)
        {
            case BinaryType:
                return Relabel(source, Apache.Arrow.Types.BinaryType.Default);
            case BooleanType:
                var bools = new BooleanColumn(n);
                for (var i = 0; i < n; i++)
                {
                    if (valid.IsValid(i) && TryParseBoolean(strings.GetBytes(i), out var b))
                    {
                        bools.Set(i, b);
                    }
                    else
                    {
                        bools.SetNull(i);
                    }
                }

                return bools.Build();
            case ByteType or ShortType or IntegerType or LongType:
                var (min, max) = to switch
                {
                    ByteType => (sbyte.MinValue, sbyte.MaxValue),
                    ShortType => (short.MinValue, short.MaxValue),
                    IntegerType => (int.MinValue, int.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                var longs = new long[n];
                var parsed = new BooleanColumn(n);
                for (var i = 0; i < n; i++)
                {
                    if (valid.IsValid(i) && TryParseIntegral(strings.GetBytes(i), out var v) && v >= min && v <= max)
                    {
                        longs[i] = v;
                        parsed.Set(i, true);
                    }
                    else
                    {
                        parsed.SetNull(i);
                    }
                }

                return NumericCasts.Cast(WithValidity(longs, parsed.Build()), LongType.Instance, to);
            case FloatType or DoubleType or DecimalType:
                var doubles = new PrimitiveColumn<double>(n);
                var decimals = to is DecimalType d ? new DecimalColumn(d, n) : null;
                for (var i = 0; i < n; i++)
                {
                    var text = valid.IsValid(i) ? DateTimeParser.Trim(strings.GetBytes(i)) : default;
                    if (decimals is not null)
                    {
                        if (valid.IsValid(i) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
                        {
                            decimals.Set(i, m);
                        }
                        else
                        {
                            decimals.SetNull(i);
                        }
                    }
                    else if (valid.IsValid(i) && TryParseDouble(text, out var x))
                    {
                        doubles.Values[i] = x;
                    }
                    else
                    {
                        doubles.SetNull(i);
                    }
                }

                if (decimals is not null)
                {
                    return decimals.Build();
                }

                var asDouble = doubles.Build(Apache.Arrow.Types.DoubleType.Default);
                return to is DoubleType ? asDouble : NumericCasts.Cast(asDouble, DoubleType.Instance, to);
            case DateType:
                var dates = new PrimitiveColumn<int>(n);
                for (var i = 0; i < n; i++)
                {
                    if (!valid.IsValid(i) || !DateTimeParser.TryParseDate(strings.GetBytes(i), out dates.Values[i]))
                    {
                        dates.SetNull(i);
                    }
                }

                return dates.Build(ArrowTypes.ToArrow(to));
            case TimestampType or TimestampNtzType:
                var parseZone = to is TimestampType ? zone : ZoneRules.Utc;
                var timestamps = new PrimitiveColumn<long>(n);
                for (var i = 0; i < n; i++)
                {
                    if (!valid.IsValid(i) || !DateTimeParser.TryParseTimestamp(strings.GetBytes(i), parseZone, out timestamps.Values[i]))
                    {
                        timestamps.SetNull(i);
                    }
                }

                return timestamps.Build(ArrowTypes.ToArrow(to));
            default:
                throw new NotSupportedException($"cannot cast string to {to.SimpleString}");
        }
    }

    /// <summary>Spark's UTF8String.toLong: optional sign, digits, and a fractional part that is dropped.</summary>
    internal static bool TryParseIntegral(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        text = DateTimeParser.Trim(text);
        if (text.IsEmpty)
        {
            return false;
        }

        var negative = text[0] == '-';
        var pos = text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        var digits = 0;
        long magnitude = 0; // accumulated negatively so long.MinValue fits
        for (; pos < text.Length && text[pos] is >= (byte)'0' and <= (byte)'9'; pos++, digits++)
        {
            var digit = text[pos] - '0';
            if (magnitude < (long.MinValue + digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) - digit;
        }

        if (pos < text.Length)
        {
            if (text[pos] != '.')
            {
                return false;
            }

            for (pos++; pos < text.Length; pos++)
            {
                if (text[pos] is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
            }
        }

        if (digits == 0 || (!negative && magnitude == long.MinValue))
        {
            return false;
        }

        value = negative ? magnitude : -magnitude;
        return true;
    }

    internal static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        text = DateTimeParser.Trim(text);
        Span<byte> lower = stackalloc byte[8];
        value = false;
        if (text.Length > lower.Length || Ascii.ToLower(text, lower, out var written) != OperationStatus.Done)
        {
            return false;
        }

        lower = lower[..written];
        if (lower.SequenceEqual("t"u8) || lower.SequenceEqual("true"u8) || lower.SequenceEqual("y"u8) || lower.SequenceEqual("yes"u8) || lower.SequenceEqual("1"u8))
        {
            value = true;
            return true;
        }

        return lower.SequenceEqual("f"u8) || lower.SequenceEqual("false"u8) || lower.SequenceEqual("n"u8) || lower.SequenceEqual("no"u8) || lower.SequenceEqual("0"u8);
    }

    private static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var sign = text.Length > 0 && text[0] == '-' ? -1 : 1;
        var body = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(body, "inf"u8) || Ascii.EqualsIgnoreCase(body, "infinity"u8))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "nan"u8))
        {
            value = double.NaN;
            return true;
        }

        return false;
    }

    /// <summary>UTF-8 bytes as a string column; invalid sequences become U+FFFD as Java's decoder does.</summary>
    private static IArrowArray BinaryToString(BinaryArray source)
    {
        var allValid = true;
        for (var i = 0; i < source.Length && allValid; i++)
        {
            allValid = source.IsNull(i) || Utf8.IsValid(source.GetBytes(i));
        }

        if (allValid)
        {
            return Relabel(source, Apache.Arrow.Types.StringType.Default);
        }

        var result = new Utf8Column(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            if (source.IsNull(i))
            {
                result.AppendNull();
            }
            else
            {
                result.Append(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(source.GetBytes(i)))); // only rows of invalid batches take this path
            }
        }

        return result.Build(Apache.Arrow.Types.StringType.Default);
    }

    /// <summary>Strings and binary share one layout: the same buffers under another type.</summary>
    private static IArrowArray Relabel(IArrowArray source, Apache.Arrow.Types.IArrowType type)
    {
        var d = source.Data;
        return ArrowArrayFactory.BuildArray(new ArrayData(type, d.Length, d.NullCount, d.Offset, d.Buffers, d.Children));
    }

    private static IArrowArray WithValidity(long[] values, BooleanArray parsed)
    {
        var column = new PrimitiveColumn<long>(values.Length);
        values.CopyTo(column.Values);
        for (var i = 0; i < values.Length; i++)
        {
            if (parsed.IsNull(i))
            {
                column.SetNull(i);
            }
        }

        return column.Build(Apache.Arrow.Types.Int64Type.Default);
    }

    private static int Format<T>(T value, Span<byte> dest)
        where T : IUtf8SpanFormattable
    {
        value.TryFormat(dest, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> dest)
    {
        source.CopyTo(dest);
        return source.Length;
    }
}
