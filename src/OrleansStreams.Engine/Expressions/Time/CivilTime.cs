namespace OrleansStreams.Engine.Expressions.Time;

/// <summary>
/// Calendar arithmetic on the proleptic Gregorian calendar, done with integers so hot loops
/// never build a <see cref="DateTime"/>: days since 1970-01-01 ↔ (year, month, day).
/// </summary>
public static class CivilTime
{
    public const long MicrosPerSecond = 1_000_000;
    public const long MicrosPerDay = 86_400 * MicrosPerSecond;

    /// <summary>Splits days since the epoch into a civil date (era-based algorithm on 400-year cycles).</summary>
    public static void FromDays(long days, out int year, out int month, out int day)
    {
        var z = days + 719_468; // shift the epoch to 0000-03-01 so leap days end each cycle
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var dayOfEra = z - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var mp = ((5 * dayOfYear) + 2) / 153;
        day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = (int)(yearOfEra + (era * 400) + (month <= 2 ? 1 : 0));
    }

    /// <summary>Days since the epoch of a civil date.</summary>
    public static long ToDays(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yearOfEra = y - (era * 400);
        var mp = month > 2 ? month - 3 : month + 9;
        var dayOfYear = ((153 * mp) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146_097) + dayOfEra - 719_468;
    }

    public static bool IsLeapYear(int year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    public static int DaysInMonth(int year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>ISO day of week, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).</summary>
    public static int DayOfWeek(long days) => (int)(FloorMod(days + 3, 7) + 1);

    public static long FloorDiv(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;

    public static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);
}
