using System.Globalization;
using System.Numerics;

namespace OrleansStreams.Engine.Expressions.Casts;

/// <summary>
/// Writes floats and doubles as Java's <c>toString</c> does (Spark's CAST to STRING): the shortest
/// round-trip digits, plain between 10^-3 and 10^7 (<c>1.0</c>, <c>0.001</c>), otherwise
/// scientific (<c>1.0E7</c>, <c>1.0E-4</c>).
/// </summary>
internal static class JavaNumberText
{
    public const int MaxLength = 32;

    private static readonly string[] ExponentFormats = Enumerable.Range(0, 20).Select(i => $"E{i}").ToArray();

    public static int Write(double value, bool isFloat, Span<byte> dest)
    {
        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, dest);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "Infinity"u8 : "-Infinity"u8, dest);
        }

        Span<char> text = stackalloc char[40];
        int length;
        var ok = isFloat ? TryShortest((float)value, text, out length) : TryShortest(value, text, out length);
        if (!ok)
        {
            throw new InvalidOperationException($"could not format {value}");
        }

        // text is "[-]d[.ddd]E[+-]xx": collect the digits and the decimal exponent.
        Span<byte> digits = stackalloc byte[24];
        var count = 0;
        var pos = 0;
        var negative = text[0] == '-';
        if (negative)
        {
            pos++;
        }

        while (pos < length && text[pos] != 'E')
        {
            if (char.IsAsciiDigit(text[pos]))
            {
                digits[count++] = (byte)text[pos];
            }

            pos++;
        }

        var exponent = int.Parse(text[(pos + 1)..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        while (count > 1 && digits[count - 1] == '0')
        {
            count--;
        }

        var o = 0;
        if (negative)
        {
            dest[o++] = (byte)'-';
        }

        if (digits[0] == '0')
        {
            return o + Copy("0.0"u8, dest[o..]);
        }

        if (exponent is >= -3 and < 7)
        {
            if (exponent < 0)
            {
                dest[o++] = (byte)'0';
                dest[o++] = (byte)'.';
                for (var z = -1; z > exponent; z--)
                {
                    dest[o++] = (byte)'0';
                }

                digits[..count].CopyTo(dest[o..]);
                return o + count;
            }

            for (var i = 0; i <= exponent; i++)
            {
                dest[o++] = i < count ? digits[i] : (byte)'0';
            }

            dest[o++] = (byte)'.';
            if (count <= exponent + 1)
            {
                dest[o++] = (byte)'0';
                return o;
            }

            digits[(exponent + 1)..count].CopyTo(dest[o..]);
            return o + count - exponent - 1;
        }

        dest[o++] = digits[0];
        dest[o++] = (byte)'.';
        if (count == 1)
        {
            dest[o++] = (byte)'0';
        }
        else
        {
            digits[1..count].CopyTo(dest[o..]);
            o += count - 1;
        }

        dest[o++] = (byte)'E';
        exponent.TryFormat(dest[o..], out var written, provider: CultureInfo.InvariantCulture);
        return o + written;
    }

    /// <summary>Scientific form of the shortest round-trip digits (.NET's "R" digits, re-exposed with an exponent).</summary>
    private static bool TryShortest<T>(T value, Span<char> text, out int length)
        where T : IFloatingPoint<T>, ISpanFormattable
    {
        Span<char> shortest = stackalloc char[40];
        if (!value.TryFormat(shortest, out var n, "R", CultureInfo.InvariantCulture))
        {
            length = 0;
            return false;
        }

        // Count the significant digits in the shortest form, then ask for exactly that many in E format.
        var significant = 0;
        var started = false;
        foreach (var c in shortest[..n])
        {
            if (c == 'E')
            {
                break;
            }

            if (char.IsAsciiDigit(c) && (started || c != '0'))
            {
                started = true;
                significant++;
            }
        }

        return value.TryFormat(text, out length, ExponentFormats[Math.Max(0, significant - 1)], CultureInfo.InvariantCulture);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> dest)
    {
        source.CopyTo(dest);
        return source.Length;
    }
}
