using System.Text;

namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>
/// Parses the ISO-like text Spark's CAST accepts, from UTF-8 bytes: <c>yyyy[-[m]m[-[d]d]]</c>, then
/// optionally <c>' '</c> or <c>T</c> and <c>[h]h:[m]m[:[s]s[.ffffff]]</c>, then an optional zone
/// (<c>Z</c>, <c>+hh:mm</c>, <c>UTC+h</c>, or a region id). Text without a zone is read in the session zone.
/// </summary>
public static class DateTimeParser
{
    /// <summary>Days since the epoch, or false for text that is not a date (CAST then yields NULL).</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out int days)
    {
        days = 0;
        text = Trim(text);
        var pos = 0;
        if (!TryParseDatePart(text, ref pos, out var year, out var month, out var day))
        {
            return false;
        }

        if (pos < text.Length && text[pos] != ' ' && text[pos] != 'T')
        {
            return false; // Spark ignores whatever follows ' ' or 'T' in a date
        }

        days = (int)CivilTime.ToDays(year, month, day);
        return true;
    }

    /// <summary>Microseconds since the epoch, or false for text that is not a timestamp.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, ZoneRules sessionZone, out long micros)
    {
        micros = 0;
        text = Trim(text);
        var pos = 0;
        if (!TryParseDatePart(text, ref pos, out var year, out var month, out var day))
        {
            return false;
        }

        long timeOfDay = 0;
        if (pos < text.Length && (text[pos] == ' ' || text[pos] == 'T') && pos + 1 < text.Length && IsDigit(text[pos + 1]))
        {
            pos++;
            if (!TryParseTime(text, ref pos, out timeOfDay))
            {
                return false;
            }
        }

        var local = (CivilTime.ToDays(year, month, day) * CivilTime.MicrosPerDay) + timeOfDay;
        var zoneText = text[pos..];
        if (zoneText.Length > 0 && zoneText[0] == ' ')
        {
            zoneText = zoneText[1..];
        }

        if (zoneText.IsEmpty)
        {
            micros = sessionZone.ToUtc(local);
            return true;
        }

        ZoneRules zone;
        try
        {
            zone = ZoneRules.Get(Encoding.UTF8.GetString(zoneText));
        }
        catch (ArgumentException)
        {
            return false;
        }

        micros = zone.ToUtc(local);
        return true;
    }

    private static bool TryParseDatePart(ReadOnlySpan<byte> text, ref int pos, out int year, out int month, out int day)
    {
        month = 1;
        day = 1;
        if (!TryDigits(text, ref pos, 4, 4, out year))
        {
            return false;
        }

        if (pos < text.Length && text[pos] == '-')
        {
            pos++;
            if (!TryDigits(text, ref pos, 1, 2, out month) || month is < 1 or > 12)
            {
                return false;
            }

            if (pos < text.Length && text[pos] == '-')
            {
                pos++;
                if (!TryDigits(text, ref pos, 1, 2, out day))
                {
                    return false;
                }
            }
        }

        return day >= 1 && day <= CivilTime.DaysInMonth(year, month);
    }

    private static bool TryParseTime(ReadOnlySpan<byte> text, ref int pos, out long micros)
    {
        micros = 0;
        var second = 0;
        long fraction = 0;
        if (!TryDigits(text, ref pos, 1, 2, out var hour) || hour > 23 || pos >= text.Length || text[pos] != ':')
        {
            return false;
        }

        pos++;
        if (!TryDigits(text, ref pos, 1, 2, out var minute) || minute > 59)
        {
            return false;
        }

        if (pos < text.Length && text[pos] == ':')
        {
            pos++;
            if (!TryDigits(text, ref pos, 1, 2, out second) || second > 59)
            {
                return false;
            }

            if (pos < text.Length && text[pos] == '.')
            {
                pos++;
                var digits = 0;
                while (pos < text.Length && IsDigit(text[pos]))
                {
                    if (digits < 6)
                    {
                        fraction = (fraction * 10) + (text[pos] - '0');
                    }

                    digits++;
                    pos++;
                }

                if (digits is 0 or > 9)
                {
                    return false;
                }

                for (; digits < 6; digits++)
                {
                    fraction *= 10;
                }
            }
        }

        micros = ((((hour * 60L) + minute) * 60L) + second) * CivilTime.MicrosPerSecond + fraction;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, ref int pos, int min, int max, out int value)
    {
        value = 0;
        var start = pos;
        while (pos < text.Length && pos - start < max && IsDigit(text[pos]))
        {
            value = (value * 10) + (text[pos] - '0');
            pos++;
        }

        return pos - start >= min && (pos >= text.Length || !IsDigit(text[pos]));
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && text[start] <= ' ')
        {
            start++;
        }

        while (end > start && text[end - 1] <= ' ')
        {
            end--;
        }

        return text[start..end];
    }
}
