using System.Text;

namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>
/// A Spark datetime pattern (<c>yyyy-MM-dd HH:mm:ss.SSS</c>, <c>EEE</c>, <c>a</c>, <c>'T'</c> …) compiled
/// once into fields that write UTF-8 straight from epoch microseconds: civil fields come from integer
/// arithmetic, so formatting a row allocates nothing. Used by date_format and friends.
/// </summary>
public sealed class DateTimeFormatter
{
    private static readonly byte[][] MonthNames = Names("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December");
    private static readonly byte[][] DayNames = Names("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    private readonly Field[] _fields;

    private DateTimeFormatter(string pattern, Field[] fields)
    {
        Pattern = pattern;
        _fields = fields;
        MaxLength = fields.Sum(f => f.Kind == FieldKind.Literal ? f.Literal!.Length : Math.Max(f.Width, 12));
    }

    public string Pattern { get; }

    /// <summary>An upper bound of the bytes one value needs.</summary>
    public int MaxLength { get; }

    /// <summary>Compiles a pattern; throws <see cref="FormatException"/> naming the pattern and the letter it does not support.</summary>
    public static DateTimeFormatter Compile(string pattern)
    {
        var fields = new List<Field>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = i + 1;
                if (end < pattern.Length && pattern[end] == '\'')
                {
                    literal.Append('\'');
                    i += 2;
                    continue;
                }

                while (true)
                {
                    if (end >= pattern.Length)
                    {
                        throw new FormatException($"unterminated quoted text in datetime pattern '{pattern}'");
                    }

                    if (pattern[end] == '\'')
                    {
                        if (end + 1 < pattern.Length && pattern[end + 1] == '\'')
                        {
                            literal.Append('\'');
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    literal.Append(pattern[end++]);
                }

                i = end + 1;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                literal.Append(c);
                i++;
                continue;
            }

            var width = 1;
            while (i + width < pattern.Length && pattern[i + width] == c)
            {
                width++;
            }

            FlushLiteral(fields, literal);
            fields.Add(new Field(KindOf(c, width, pattern), width, null));
            i += width;
        }

        FlushLiteral(fields, literal);
        return new DateTimeFormatter(pattern, fields.ToArray());
    }

    /// <summary>Whether the text depends only on the local date (no time-of-day or offset field): equal for a whole day.</summary>
    public bool DateOnly => _fields.All(f => f.Kind is FieldKind.Literal or FieldKind.Year or FieldKind.MonthNumber or FieldKind.MonthShort
        or FieldKind.MonthFull or FieldKind.DayOfMonth or FieldKind.DayOfYear or FieldKind.DayShort or FieldKind.DayFull);

    /// <summary>Writes one instant, shown in <paramref name="zone"/>; returns the bytes written.</summary>
    public int Format(long utcMicros, ZoneRules zone, Span<byte> dest)
    {
        var offset = zone.OffsetAt(utcMicros);
        var local = utcMicros + offset;
        var days = CivilTime.FloorDiv(local, CivilTime.MicrosPerDay);
        var microsOfDay = local - (days * CivilTime.MicrosPerDay);
        CivilTime.FromDays(days, out var year, out var month, out var day);
        var secondOfDay = (int)(microsOfDay / CivilTime.MicrosPerSecond);
        var hour = secondOfDay / 3600;
        var pos = 0;
        foreach (var f in _fields)
        {
            var d = dest[pos..];
            pos += f.Kind switch
            {
                FieldKind.Literal => Copy(f.Literal!, d),
                FieldKind.Year => f.Width == 2 ? DateTimeText.WritePadded(((year % 100) + 100) % 100, 2, d) : WriteYear(year, f.Width, d),
                FieldKind.MonthNumber => DateTimeText.WritePadded(month, f.Width, d),
                FieldKind.MonthShort => Copy(MonthNames[month - 1].AsSpan(0, 3), d),
                FieldKind.MonthFull => Copy(MonthNames[month - 1], d),
                FieldKind.DayOfMonth => DateTimeText.WritePadded(day, f.Width, d),
                FieldKind.DayOfYear => DateTimeText.WritePadded(days - CivilTime.ToDays(year, 1, 1) + 1, f.Width, d),
                FieldKind.DayShort => Copy(DayNames[CivilTime.DayOfWeek(days) - 1].AsSpan(0, 3), d),
                FieldKind.DayFull => Copy(DayNames[CivilTime.DayOfWeek(days) - 1], d),
                FieldKind.Hour23 => DateTimeText.WritePadded(hour, f.Width, d),
                FieldKind.Hour12 => DateTimeText.WritePadded(hour % 12 == 0 ? 12 : hour % 12, f.Width, d),
                FieldKind.AmPm => Copy(hour < 12 ? "AM"u8 : "PM"u8, d),
                FieldKind.Minute => DateTimeText.WritePadded(secondOfDay / 60 % 60, f.Width, d),
                FieldKind.Second => DateTimeText.WritePadded(secondOfDay % 60, f.Width, d),
                FieldKind.Fraction => WriteFraction(microsOfDay % CivilTime.MicrosPerSecond, f.Width, d),
                FieldKind.OffsetX => WriteOffset(offset, f.Width, zeroAsZ: true, d),
                FieldKind.Offsetx => WriteOffset(offset, f.Width, zeroAsZ: false, d),
                FieldKind.OffsetZ => WriteOffset(offset, f.Width <= 3 ? 2 : 3, zeroAsZ: false, d),
                _ => throw new InvalidOperationException($"unhandled field {f.Kind}"),
            };
        }

        return pos;
    }

    /// <summary>Formats one instant to a string (for tests and scalar uses, not hot loops).</summary>
    public string Format(long utcMicros, ZoneRules zone)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return Encoding.UTF8.GetString(buffer[..Format(utcMicros, zone, buffer)]);
    }

    private static FieldKind KindOf(char letter, int width, string pattern) => letter switch
    {
        'y' or 'u' => FieldKind.Year,
        'M' or 'L' => width switch { <= 2 => FieldKind.MonthNumber, 3 => FieldKind.MonthShort, _ => FieldKind.MonthFull },
        'd' when width <= 2 => FieldKind.DayOfMonth,
        'D' when width <= 3 => FieldKind.DayOfYear,
        'E' => width <= 3 ? FieldKind.DayShort : FieldKind.DayFull,
        'H' when width <= 2 => FieldKind.Hour23,
        'h' when width <= 2 => FieldKind.Hour12,
        'a' when width == 1 => FieldKind.AmPm,
        'm' when width <= 2 => FieldKind.Minute,
        's' when width <= 2 => FieldKind.Second,
        'S' when width <= 9 => FieldKind.Fraction,
        'X' when width <= 5 => FieldKind.OffsetX,
        'x' when width <= 5 => FieldKind.Offsetx,
        'Z' when width <= 4 => FieldKind.OffsetZ,
        _ => throw new FormatException($"unsupported datetime pattern letter '{new string(letter, width)}' in '{pattern}'"),
    };

    private static int WriteYear(int year, int width, Span<byte> dest)
    {
        if (year < 0)
        {
            dest[0] = (byte)'-';
            return 1 + DateTimeText.WritePadded(-(long)year, width, dest[1..]);
        }

        return DateTimeText.WritePadded(year, width, dest);
    }

    /// <summary>The fraction of a second truncated to <paramref name="width"/> digits (zeros beyond microseconds).</summary>
    private static int WriteFraction(long micros, int width, Span<byte> dest)
    {
        Span<byte> six = stackalloc byte[6];
        DateTimeText.WritePadded(micros, 6, six);
        for (var i = 0; i < width; i++)
        {
            dest[i] = i < 6 ? six[i] : (byte)'0';
        }

        return width;
    }

    /// <summary>
    /// Offsets as java.time prints them: width 1 <c>+HH[mm]</c>, 2 <c>+HHmm</c>, 3 <c>+HH:mm</c>;
    /// X prints <c>Z</c> for zero.
    /// </summary>
    private static int WriteOffset(long offsetMicros, int width, bool zeroAsZ, Span<byte> dest)
    {
        if (offsetMicros == 0 && zeroAsZ)
        {
            dest[0] = (byte)'Z';
            return 1;
        }

        var totalMinutes = Math.Abs(offsetMicros / CivilTime.MicrosPerSecond / 60);
        dest[0] = offsetMicros < 0 ? (byte)'-' : (byte)'+';
        var pos = 1 + DateTimeText.Write2((int)(totalMinutes / 60), dest[1..]);
        var minutes = (int)(totalMinutes % 60);
        if (width == 1 && minutes == 0)
        {
            return pos;
        }

        if (width >= 3)
        {
            dest[pos++] = (byte)':';
        }

        return pos + DateTimeText.Write2(minutes, dest[pos..]);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> dest)
    {
        source.CopyTo(dest);
        return source.Length;
    }

    private static void FlushLiteral(List<Field> fields, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            fields.Add(new Field(FieldKind.Literal, 0, Encoding.UTF8.GetBytes(literal.ToString())));
            literal.Clear();
        }
    }

    private static byte[][] Names(params string[] names) => names.Select(Encoding.UTF8.GetBytes).ToArray();

    private enum FieldKind
    {
        Literal,
        Year,
        MonthNumber,
        MonthShort,
        MonthFull,
        DayOfMonth,
        DayOfYear,
        DayShort,
        DayFull,
        Hour23,
        Hour12,
        AmPm,
        Minute,
        Second,
        Fraction,
        OffsetX,
        Offsetx,
        OffsetZ,
    }

    private readonly record struct Field(FieldKind Kind, int Width, byte[]? Literal);
}
