namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>Writes dates and timestamps as CAST(… AS STRING) prints them, as UTF-8, without allocating.</summary>
public static class DateTimeText
{
    /// <summary>Longest output: <c>yyyy-MM-dd HH:mm:ss.ffffff</c> with a signed 6-digit year.</summary>
    public const int MaxLength = 32;

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public static int WriteDate(long days, Span<byte> dest)
    {
        CivilTime.FromDays(days, out var year, out var month, out var day);
        var pos = WriteYear(year, dest);
        dest[pos++] = (byte)'-';
        pos += Write2(month, dest[pos..]);
        dest[pos++] = (byte)'-';
        pos += Write2(day, dest[pos..]);
        return pos;
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> plus the fraction of a second without trailing zeros, in the given zone.</summary>
    public static int WriteTimestamp(long utcMicros, ZoneRules zone, Span<byte> dest)
    {
        var local = utcMicros + zone.OffsetAt(utcMicros);
        var days = CivilTime.FloorDiv(local, CivilTime.MicrosPerDay);
        var micros = local - (days * CivilTime.MicrosPerDay);
        var pos = WriteDate(days, dest);
        dest[pos++] = (byte)' ';
        var seconds = micros / CivilTime.MicrosPerSecond;
        pos += Write2((int)(seconds / 3600), dest[pos..]);
        dest[pos++] = (byte)':';
        pos += Write2((int)(seconds / 60 % 60), dest[pos..]);
        dest[pos++] = (byte)':';
        pos += Write2((int)(seconds % 60), dest[pos..]);
        var fraction = (int)(micros % CivilTime.MicrosPerSecond);
        if (fraction != 0)
        {
            dest[pos++] = (byte)'.';
            var digits = 6;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            WritePadded(fraction, digits, dest[pos..]);
            pos += digits;
        }

        return pos;
    }

    internal static int WriteYear(int year, Span<byte> dest)
    {
        if (year is >= 0 and <= 9999)
        {
            WritePadded(year, 4, dest);
            return 4;
        }

        year.TryFormat(dest, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }

    internal static int Write2(int value, Span<byte> dest)
    {
        dest[0] = (byte)('0' + (value / 10));
        dest[1] = (byte)('0' + (value % 10));
        return 2;
    }

    /// <summary>Writes a non-negative value left-padded with zeros to <paramref name="width"/> digits (more if it needs them).</summary>
    internal static int WritePadded(long value, int width, Span<byte> dest)
    {
        var digits = 1;
        for (var v = value / 10; v > 0; v /= 10)
        {
            digits++;
        }

        var length = Math.Max(width, digits);
        for (var i = length - 1; i >= 0; i--)
        {
            dest[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return length;
    }
}
