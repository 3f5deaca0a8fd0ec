using System.Globalization;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Delta's string form of partition values (<c>add.partitionValues</c>) to and from the engine's
/// scalars (see <c>Literal</c>): int days for dates, long microseconds for timestamps, decimal for
/// decimals. Timestamps are written <c>yyyy-MM-dd HH:mm:ss[.ffffff]</c> in UTC, dates <c>yyyy-MM-dd</c>.
/// </summary>
public static class PartitionValues
{
    private const long MicrosPerSecond = 1_000_000;

    /// <summary>The string Delta stores for <paramref name="scalar"/> of type <paramref name="type"/>; null stays null.</summary>
    public static string? Format(object? scalar, DataType type)
    {
        if (scalar is null)
        {
            return null;
        }

        return (type, scalar) switch
        {
            (StringType, string s) => s,
            (BooleanType, bool b) => b ? "true" : "false",
            (ByteType or ShortType or IntegerType or LongType, _) => Convert.ToInt64(scalar, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            (FloatType, float f) => FormatFloating(f, f.ToString("R", CultureInfo.InvariantCulture)),
            (DoubleType, double d) => FormatFloating(d, d.ToString("R", CultureInfo.InvariantCulture)),
            (DecimalType, decimal m) => m.ToString(CultureInfo.InvariantCulture),
            (DateType, int days) => DateOnly.FromDayNumber(UnixEpochDayNumber + days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            (TimestampType or TimestampNtzType, long micros) => FormatTimestamp(micros),
            (BinaryType, byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes),
            _ => throw new ArgumentException($"partition value {scalar} ({scalar.GetType().Name}) does not fit partition column type {type}", nameof(scalar)),
        };
    }

    /// <summary>The engine scalar of a stored partition value; null (and Hive's default partition name) give null.</summary>
    public static object? Parse(string? value, DataType type)
    {
        if (value is null || value == PartitionPath.DefaultPartitionName)
        {
            return null;
        }

        // An empty string is a null partition value for every type but string.
        if (value.Length == 0 && type is not StringType)
        {
            return null;
        }

        try
        {
            return type switch
            {
                StringType => value,
                BooleanType => bool.Parse(value),
                ByteType => sbyte.Parse(value, CultureInfo.InvariantCulture),
                ShortType => short.Parse(value, CultureInfo.InvariantCulture),
                IntegerType => int.Parse(value, CultureInfo.InvariantCulture),
                LongType => long.Parse(value, CultureInfo.InvariantCulture),
                FloatType => float.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                DoubleType => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                DecimalType => decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                DateType => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - UnixEpochDayNumber,
                TimestampType or TimestampNtzType => ParseTimestamp(value),
                BinaryType => System.Text.Encoding.UTF8.GetBytes(value),
                _ => throw new FormatException($"partition columns of type {type} are not supported"),
            };
        }
        catch (FormatException e)
        {
            throw new FormatException($"partition value '{value}' is not a valid {type}: {e.Message}", e);
        }
    }

    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    // Java's Double.toString (what Spark writes) always shows a fraction: 1.0, not 1.
    private static string FormatFloating(double value, string text) =>
        double.IsFinite(value) && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal)
            ? text + ".0"
            : text.Replace("E+", "E", StringComparison.Ordinal);

    private static string FormatTimestamp(long micros)
    {
        var seconds = Math.DivRem(micros, MicrosPerSecond, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += MicrosPerSecond;
        }

        var text = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return fraction == 0 ? text : text + "." + fraction.ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static long ParseTimestamp(string value)
    {
        // Spark writes "2021-09-08 11:11:11[.ffffff]"; newer writers use ISO-8601 with 'T' and 'Z'.
        var text = value.Replace('T', ' ').TrimEnd('Z');
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var wholeSeconds = dot < 0 ? text : text[..dot];
        var parsed = DateTime.ParseExact(wholeSeconds, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        long micros = 0;
        if (dot >= 0)
        {
            var digits = text[(dot + 1)..];
            if (digits.Length is 0 or > 6 || !digits.All(char.IsAsciiDigit))
            {
                throw new FormatException("the fraction of a second must have 1 to 6 digits");
            }

            micros = long.Parse(digits.PadRight(6, '0'), CultureInfo.InvariantCulture);
        }

        return (new DateTimeOffset(parsed, TimeSpan.Zero).ToUnixTimeSeconds() * MicrosPerSecond) + micros;
    }
}
