using System.Globalization;
using System.Text;

namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>
/// Parses text with a Spark datetime pattern (<c>yyyy-MM-dd HH:mm:ss</c>, <c>dd/MM/yyyy</c>, <c>yyyyMMdd'T'HHmmss.SSSXXX</c>…)
/// by translating the pattern once into a .NET exact-parse format. Text without an offset is local
/// time in the session zone. Unparseable text gives false (NULL in Spark's default mode).
/// </summary>
public sealed class SparkPatternParser
{
    private readonly string format;
    private readonly bool hasOffset;

    private SparkPatternParser(string format, bool hasOffset)
    {
        this.format = format;
        this.hasOffset = hasOffset;
    }

    public static SparkPatternParser Compile(string pattern)
    {
        var builder = new StringBuilder();
        var hasOffset = false;
        for (var i = 0; i < pattern.Length;)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"Unterminated quote in datetime pattern '{pattern}'");
                }

                builder.Append('\'').Append(pattern, i + 1, end - i - 1).Append('\'');
                i = end + 1;
                continue;
            }

            var run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c)
            {
                run++;
            }

            builder.Append(c switch
            {
                'y' or 'u' => run == 2 ? "yy" : "yyyy",
                'M' or 'L' => new string('M', Math.Min(run, 4)),
                'd' => new string('d', Math.Min(run, 2)),
                'H' => new string('H', Math.Min(run, 2)),
                'h' => new string('h', Math.Min(run, 2)),
                'm' => new string('m', Math.Min(run, 2)),
                's' => new string('s', Math.Min(run, 2)),
                'S' => new string('f', Math.Min(run, 7)),
                'a' => "tt",
                'E' => run >= 4 ? "dddd" : "ddd",
                'X' or 'x' or 'Z' => Offset(ref hasOffset),
                _ when char.IsAsciiLetter(c) => throw new FormatException($"The datetime pattern letter '{c}' in '{pattern}' is not supported"),
                _ => Escape(c, run),
            });
            i += run;
        }

        return new SparkPatternParser(builder.ToString(), hasOffset);
    }

    /// <summary>Microseconds since the epoch (UTC) of the text, read in the session zone unless it carries an offset.</summary>
    public bool TryParse(string text, ZoneRules zone, out long utcMicros)
    {
        utcMicros = 0;
        if (hasOffset)
        {
            if (!DateTimeOffset.TryParseExact(text.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                return false;
            }

            utcMicros = (withOffset.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
            return true;
        }

        if (!DateTime.TryParseExact(text.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        utcMicros = zone.ToUtc((local.Ticks - DateTime.UnixEpoch.Ticks) / 10);
        return true;
    }

    private static string Offset(ref bool hasOffset)
    {
        hasOffset = true;
        return "zzz";
    }

    /// <summary>Literal characters, each escaped so .NET does not read them as format specifiers.</summary>
    private static string Escape(char c, int run) => string.Concat(Enumerable.Repeat("\\" + c, run));
}
