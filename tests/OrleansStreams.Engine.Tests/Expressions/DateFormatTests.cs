using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

public class DateFormatTests
{
    // 2021-03-04 05:06:07.089123 UTC, a Thursday
    private const long Instant = 1_614_834_367_089_123L;

    [Theory]
    [InlineData("yyyy-MM", "2021-03")]
    [InlineData("yyyy-MM-dd HH:mm:ss", "2021-03-04 05:06:07")]
    [InlineData("yy/M/d H:m:s", "21/3/4 5:6:7")]
    [InlineData("MMM MMMM", "Mar March")]
    [InlineData("E EEE EEEE", "Thu Thu Thursday")]
    [InlineData("hh:mm a", "05:06 AM")]
    [InlineData("h a", "5 AM")]
    [InlineData("ss.SSS", "07.089")]
    [InlineData("SSSSSS", "089123")]
    [InlineData("yyyy-MM-dd'T'HH:mm", "2021-03-04T05:06")]
    [InlineData("'quoted ''text''' yyyy", "quoted 'text' 2021")]
    [InlineData("''yy''", "'21'")]
    [InlineData("D", "63")]
    [InlineData("XXX", "Z")]
    public void Formats_in_utc(string pattern, string expected) =>
        Assert.Equal(expected, Scalar(Fn("date_format", new Literal(Instant, TimestampType.Instance), Lit(pattern))));

    [Fact]
    public void Noon_and_midnight_in_twelve_hour_clock()
    {
        var midnight = DateTimeFormatter.Compile("hh a").Format(0, ZoneRules.Utc);
        var noon = DateTimeFormatter.Compile("hh a").Format(12 * 3_600_000_000L, ZoneRules.Utc);
        Assert.Equal("12 AM", midnight);
        Assert.Equal("12 PM", noon);
    }

    [Theory]
    [InlineData("2021-03-14T06:59:59Z", "2021-03-14 01:59:59 -05:00")] // last second of EST
    [InlineData("2021-03-14T07:00:00Z", "2021-03-14 03:00:00 -04:00")] // clocks spring forward
    [InlineData("2021-11-07T05:30:00Z", "2021-11-07 01:30:00 -04:00")] // first 01:30 (EDT)
    [InlineData("2021-11-07T06:30:00Z", "2021-11-07 01:30:00 -05:00")] // second 01:30 (EST)
    public void Formats_in_new_york_across_dst_changes(string instant, string expected)
    {
        var session = new SessionConfig("America/New_York");
        var utc = (long)Scalar(new CastExpression(Lit(instant), TimestampType.Instance))!;
        Assert.Equal(expected, Scalar(Fn("date_format", new Literal(utc, TimestampType.Instance), Lit("yyyy-MM-dd HH:mm:ss xxx")), session));
    }

    [Fact]
    public void Wall_clock_in_a_dst_gap_moves_forward_and_overlap_takes_the_earlier_instant()
    {
        var session = new SessionConfig("America/New_York");
        Assert.Equal(Scalar(new CastExpression(Lit("2021-03-14T07:30:00Z"), TimestampType.Instance)), Scalar(new CastExpression(Lit("2021-03-14 02:30:00"), TimestampType.Instance), session));
        Assert.Equal(Scalar(new CastExpression(Lit("2021-11-07T05:30:00Z"), TimestampType.Instance)), Scalar(new CastExpression(Lit("2021-11-07 01:30:00"), TimestampType.Instance), session));
    }

    [Fact]
    public void Column_with_nulls_and_dates_and_strings_are_coerced()
    {
        var schema = new StructType(new StructField("ts", TimestampType.Instance), new StructField("d", DateType.Instance));
        var batch = Batch(schema, [Instant, 18_262], [null, null], [-1L, 0]);
        Assert.Equal(new object?[] { "2021-03", null, "1969-12" }, Eval(Fn("date_format", Col("ts"), Lit("yyyy-MM")), batch));
        Assert.Equal(new object?[] { "2020-01-01 00", null, "1970-01-01 00" }, Eval(Fn("date_format", Col("d"), Lit("yyyy-MM-dd HH")), batch));
        Assert.Equal("2020-02", Scalar(Fn("date_format", Lit("2020-02-03 04:05:06"), Lit("yyyy-MM"))));
    }

    [Fact]
    public void Civil_arithmetic_matches_datetime_across_centuries()
    {
        for (var days = -700_000L; days < 2_900_000; days += 997) // years 53 … 9909: DateTime's range
        {
            CivilTime.FromDays(days, out var y, out var m, out var d);
            var expected = DateTime.UnixEpoch.AddDays(days);
            Assert.Equal((expected.Year, expected.Month, expected.Day), (y, m, d));
            Assert.Equal(days, CivilTime.ToDays(y, m, d));
            Assert.Equal(((int)expected.DayOfWeek + 6) % 7 + 1, CivilTime.DayOfWeek(days));
        }
    }

    [Fact]
    public void Unsupported_pattern_letters_and_non_constant_patterns_are_analysis_errors()
    {
        var schema = new StructType(new StructField("ts", TimestampType.Instance), new StructField("p", StringType.Instance));
        var e = Assert.Throws<AnalysisException>(() => Analyzer.Bind(Fn("date_format", Col("ts"), Lit("yyyy-qq")), schema));
        Assert.Contains("date_format(ts, 'yyyy-qq')", e.Message);
        Assert.Contains("'qq'", e.Message);
        Assert.Throws<AnalysisException>(() => Analyzer.Bind(Fn("date_format", Col("ts"), Col("p")), schema));
    }
}
