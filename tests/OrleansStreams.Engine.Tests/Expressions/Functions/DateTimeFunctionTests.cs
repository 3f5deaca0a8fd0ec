using static OrleansStreams.Engine.Tests.Expressions.Functions.FunctionTestKit;

namespace OrleansStreams.Engine.Tests.Expressions.Functions;

public class DateTimeFunctionTests
{
    private const long Jul5 = 1_657_000_000L; // 2022-07-05 05:46:40 UTC

    [Theory]
    [InlineData("year(TIMESTAMP '2022-07-05 23:30:00')", 2022)]
    [InlineData("month(DATE '2022-07-05')", 7)]
    [InlineData("dayofmonth('2022-07-05')", 5)]
    [InlineData("day(DATE '2024-02-29')", 29)]
    [InlineData("hour(TIMESTAMP '2022-07-05 23:30:15')", 23)]
    [InlineData("minute(TIMESTAMP '2022-07-05 23:30:15')", 30)]
    [InlineData("second(TIMESTAMP '2022-07-05 23:30:15')", 15)]
    [InlineData("datediff(DATE '2022-03-01', DATE '2022-02-01')", 28)]
    public void Fields_and_differences(string sql, int expected) => Assert.Equal(expected, Eval(sql));

    [Fact]
    public void Fields_of_a_timestamp_are_read_in_the_session_zone()
    {
        // 1656988200 is 2022-07-05 02:30 UTC: the 5th in UTC, 22:30 on the 4th in New York (EDT, UTC-4).
        Assert.Equal(5, Eval("dayofmonth(CAST(1656988200 AS TIMESTAMP))"));
        Assert.Equal(22, Eval("hour(CAST(1656988200 AS TIMESTAMP))", "America/New_York"));
        Assert.Equal(4, Eval("dayofmonth(CAST(1656988200 AS TIMESTAMP))", "America/New_York"));
    }

    [Fact]
    public void From_unixtime_formats_in_the_session_zone_and_unix_timestamp_parses_back()
    {
        Assert.Equal("2022-07-05 05:46:40", Eval($"from_unixtime({Jul5})"));
        Assert.Equal("2022-07-05 01:46", Eval($"from_unixtime({Jul5}, 'yyyy-MM-dd HH:mm')", "America/New_York"));
        Assert.Equal(Jul5, Eval("unix_timestamp('2022-07-05 05:46:40')"));
        Assert.Equal(Jul5, Eval("unix_timestamp('2022-07-05 01:46:40')", "America/New_York"));
        Assert.Equal(Jul5, Eval("unix_timestamp('05/07/2022 05:46', 'dd/MM/yyyy HH:mm') + 40"));
        Assert.Null(Eval("unix_timestamp('not a date', 'yyyy-MM-dd')"));
        Assert.IsType<long>(Eval("unix_timestamp()"));
    }

    [Fact]
    public void To_date_and_to_timestamp_with_and_without_patterns()
    {
        Assert.Equal(19178, Eval("to_date('2022-07-05')"));
        Assert.Equal(19178, Eval("to_date('05.07.2022', 'dd.MM.yyyy')"));
        Assert.Null(Eval("to_date('2022-13-45')"));
        Assert.Equal(Jul5 * 1_000_000, Eval("to_timestamp('2022-07-05 05:46:40')"));
        Assert.Equal(Jul5 * 1_000_000, Eval("to_timestamp('2022/07/05T05:46:40.000+00:00', \"yyyy/MM/dd'T'HH:mm:ss.SSSXXX\")"));
        Assert.Null(Eval("to_timestamp('garbage', 'yyyy')"));
    }

    [Fact]
    public void Current_timestamp_and_date_are_now()
    {
        var now = (long)Eval("current_timestamp()")!;
        var expected = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        Assert.InRange(now, expected - 60_000_000, expected + 1_000_000);
        Assert.Equal((int)(expected / 86_400_000_000), Eval("current_date()"));
    }

    [Theory]
    [InlineData("year", "2022-01-01 00:00:00")]
    [InlineData("quarter", "2022-07-01 00:00:00")]
    [InlineData("month", "2022-08-01 00:00:00")]
    [InlineData("week", "2022-08-15 00:00:00")]
    [InlineData("day", "2022-08-17 00:00:00")]
    [InlineData("hour", "2022-08-17 13:00:00")]
    [InlineData("minute", "2022-08-17 13:45:00")]
    [InlineData("second", "2022-08-17 13:45:59")]
    public void Date_trunc_cuts_to_the_unit(string unit, string expected) =>
        Assert.Equal(expected, Eval($"date_format(date_trunc('{unit}', TIMESTAMP '2022-08-17 13:45:59.123'), 'yyyy-MM-dd HH:mm:ss')"));

    [Fact]
    public void Date_trunc_to_the_day_is_local_midnight_in_the_session_zone() =>
        Assert.Equal("2022-03-13 00:00:00", Eval("date_format(date_trunc('day', TIMESTAMP '2022-03-13 12:00:00'), 'yyyy-MM-dd HH:mm:ss')", "America/New_York"));

    [Fact]
    public void Date_arithmetic()
    {
        Assert.Equal(19179, Eval("date_add(DATE '2022-07-05', 1)"));
        Assert.Equal(19177, Eval("date_sub('2022-07-05', 1)"));
        Assert.Null(Eval("date_add(NULL, 1)"));
        Assert.Equal(-28, Eval("datediff('2022-02-01', '2022-03-01')"));
    }

    [Fact]
    public void A_bad_pattern_or_unit_fails_at_analysis_naming_the_call()
    {
        var unit = Assert.Throws<Engine.Expressions.Analysis.AnalysisException>(() => Eval("date_trunc('fortnight', TIMESTAMP '2022-01-01 00:00:00')"));
        var arity = Assert.Throws<Engine.Expressions.Analysis.AnalysisException>(() => Eval("year(DATE '2022-01-01', 2)"));

        Assert.Contains("fortnight", unit.Message, StringComparison.Ordinal);
        Assert.Contains("year", arity.Message, StringComparison.Ordinal);
    }
}
