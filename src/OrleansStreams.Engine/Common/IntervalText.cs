using System.Globalization;

namespace OrleansStreams.Engine.Common;

/// <summary>
/// Spark's interval strings as used by <c>window(ts, '10 minutes')</c>, <c>withWatermark(col, '10 minutes')</c>
/// and <c>ProcessingTime("4 seconds")</c>: one or more "number unit" pairs, optionally after <c>interval</c>.
/// </summary>
public static class IntervalText
{
    /// <summary>The interval in microseconds.</summary>
    public static long ParseMicros(string text, string what = "interval")
    {
        var parts = text.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var start = parts.Length > 0 && parts[0].Equals("interval", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        if (parts.Length == start || (parts.Length - start) % 2 != 0)
        {
            throw Invalid(text, what);
        }

        long total = 0;
        for (var i = start; i < parts.Length; i += 2)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            {
                throw Invalid(text, what);
            }

            total = checked(total + (amount * UnitMicros(parts[i + 1].ToLowerInvariant().TrimEnd('s'), text, what)));
        }

        return total;
    }

    public static TimeSpan Parse(string text, string what = "interval") => TimeSpan.FromMicroseconds(ParseMicros(text, what));

    private static long UnitMicros(string unit, string text, string what) => unit switch
    {
        "microsecond" or "u" => 1,
        "millisecond" or "m" when unit == "millisecond" => 1_000,
        "ms" => 1_000,
        "second" or "sec" => 1_000_000,
        "minute" or "min" => 60_000_000,
        "hour" or "h" => 3_600_000_000,
        "day" or "d" => 86_400_000_000,
        "week" => 7 * 86_400_000_000,
        _ => throw Invalid(text, what),
    };

    private static ArgumentException Invalid(string text, string what) =>
        new($"The {what} '{text}' is not a valid interval: write it as '<number> <unit>' with units microseconds, milliseconds, seconds, minutes, hours, days or weeks (e.g. '10 minutes')");
}
