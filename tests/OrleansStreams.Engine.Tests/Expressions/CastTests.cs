using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

public class CastTests
{
    private static object? Cast(object? value, DataType to, SessionConfig? session = null) => Scalar(new CastExpression(Lit(value), to), session);

    private static object? CastTyped(object? value, DataType from, DataType to, SessionConfig? session = null) =>
        Scalar(new CastExpression(new Literal(value, from), to), session);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("  42 ", 42)]
    [InlineData("1.5", 1)]
    [InlineData("-1.9", -1)]
    [InlineData("+7", 7)]
    [InlineData("abc", null)]
    [InlineData("", null)]
    [InlineData("1e3", null)]
    [InlineData("2147483648", null)]
    public void String_to_int(string text, int? expected) => Assert.Equal(expected, Cast(text, IntegerType.Instance));

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData(" -2e3 ", -2000.0)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("x", null)]
    public void String_to_double(string text, double? expected) => Assert.Equal(expected, Cast(text, DoubleType.Instance));

    [Fact]
    public void String_to_decimal_rounds_half_up_and_overflow_is_null()
    {
        Assert.Equal(1.24m, Cast("1.235", new DecimalType(5, 2)));
        Assert.Null(Cast("12345.6", new DecimalType(5, 2)));
        Assert.Null(Cast("n/a", new DecimalType(5, 2)));
        Assert.Equal(9_999_999_999L, Cast("9999999999", LongType.Instance));
    }

    [Theory]
    [InlineData(1e10, int.MaxValue)]
    [InlineData(-1e10, int.MinValue)]
    [InlineData(double.NaN, 0)]
    [InlineData(-1.9, -1)]
    public void Double_to_int_truncates_and_saturates_like_java(double value, int expected) =>
        Assert.Equal(expected, Cast(value, IntegerType.Instance));

    [Theory]
    [InlineData(1e300)]
    [InlineData(-1e29)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_double_beyond_every_decimal_casts_to_null(double value) =>
        Assert.Null(Cast(value, new DecimalType(38, 2)));

    [Fact]
    public void Numeric_narrowing_and_booleans()
    {
        Assert.Equal((sbyte)44, Cast(300, ByteType.Instance));
        Assert.Equal(-2147483648, Cast(2147483648L, IntegerType.Instance));
        Assert.Equal((short)-1, Cast(65535, ShortType.Instance));
        Assert.Equal(true, Cast(2, BooleanType.Instance));
        Assert.Equal(false, Cast(0.0, BooleanType.Instance));
        Assert.Equal(1, Cast(true, IntegerType.Instance));
        Assert.Equal(3.5, Cast(3.5m, DoubleType.Instance));
        Assert.Equal(3, Cast(3.99m, IntegerType.Instance));
        Assert.Null(Cast(123.456, new DecimalType(4, 2)));
        Assert.Equal(123.46m, Cast(123.456, new DecimalType(5, 2)));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("T", true)]
    [InlineData("yes", true)]
    [InlineData("1", true)]
    [InlineData(" FALSE ", false)]
    [InlineData("f", false)]
    [InlineData("No", false)]
    [InlineData("0", false)]
    [InlineData("maybe", null)]
    public void String_to_boolean(string text, bool? expected) => Assert.Equal(expected, Cast(text, BooleanType.Instance));

    [Fact]
    public void Values_to_string()
    {
        Assert.Equal("true", Cast(true, StringType.Instance));
        Assert.Equal("-12", Cast(-12, StringType.Instance));
        Assert.Equal("1.0", Cast(1.0, StringType.Instance));
        Assert.Equal("1.5", Cast(1.5, StringType.Instance));
        Assert.Equal("1.0E7", Cast(1e7, StringType.Instance));
        Assert.Equal("1234567.0", Cast(1234567.0, StringType.Instance));
        Assert.Equal("0.001", Cast(0.001, StringType.Instance));
        Assert.Equal("1.0E-4", Cast(0.0001, StringType.Instance));
        Assert.Equal("-1.25E20", Cast(-1.25e20, StringType.Instance));
        Assert.Equal("NaN", Cast(double.NaN, StringType.Instance));
        Assert.Equal("0.1", CastTyped(0.1f, FloatType.Instance, StringType.Instance));
        Assert.Equal("1.50", CastTyped(1.50m, new DecimalType(5, 2), StringType.Instance));
    }

    [Fact]
    public void Dates_and_timestamps_to_and_from_strings()
    {
        Assert.Equal(18_262, Cast("2020-01-01", DateType.Instance));
        Assert.Equal(18_262, Cast("2020-1-1", DateType.Instance));
        Assert.Equal(18_262, Cast("2020-01-01 12:34:56", DateType.Instance));
        Assert.Null(Cast("2020-02-30", DateType.Instance));
        Assert.Null(Cast("01/02/2020", DateType.Instance));
        Assert.Equal("2020-01-01", CastTyped(18_262, DateType.Instance, StringType.Instance));

        var noon = 1_577_880_000_000_000L; // 2020-01-01 12:00:00 UTC
        Assert.Equal(noon, Cast("2020-01-01 12:00:00", TimestampType.Instance));
        Assert.Equal(noon, Cast("2020-01-01T12:00:00Z", TimestampType.Instance));
        Assert.Equal(noon, Cast("2020-01-01T13:00:00+01:00", TimestampType.Instance));
        Assert.Equal(noon + 123_456, Cast("2020-01-01 12:00:00.123456", TimestampType.Instance));
        Assert.Equal(noon - (12 * 3_600_000_000L), Cast("2020-01-01", TimestampType.Instance));
        Assert.Null(Cast("2020-01-01 25:00:00", TimestampType.Instance));
        Assert.Equal("2020-01-01 12:00:00", CastTyped(noon, TimestampType.Instance, StringType.Instance));
        Assert.Equal("2020-01-01 12:00:00.1", CastTyped(noon + 100_000, TimestampType.Instance, StringType.Instance));

        var paris = new SessionConfig("Europe/Paris");
        Assert.Equal(noon, Cast("2020-01-01 13:00:00", TimestampType.Instance, paris));
        Assert.Equal("2020-01-01 13:00:00", CastTyped(noon, TimestampType.Instance, StringType.Instance, paris));
    }

    [Fact]
    public void Timestamp_numeric_and_date_conversions()
    {
        Assert.Equal(1_500_000L, Cast(1.5, TimestampType.Instance));
        Assert.Equal(86_400_000_000L, Cast(86_400L, TimestampType.Instance));
        Assert.Equal(-1L, CastTyped(-1L, TimestampType.Instance, LongType.Instance)); // floor of -1 µs in seconds
        Assert.Equal(1.5, CastTyped(1_500_000L, TimestampType.Instance, DoubleType.Instance));
        var newYork = new SessionConfig("America/New_York");
        Assert.Equal(18_262L * 86_400_000_000L + (5 * 3_600_000_000L), CastTyped(18_262, DateType.Instance, TimestampType.Instance, newYork));
        Assert.Equal(18_261, CastTyped(18_262L * 86_400_000_000L + 3_600_000_000L, TimestampType.Instance, DateType.Instance, newYork));
    }

    [Fact]
    public void Binary_and_string()
    {
        Assert.Equal("hé", CastTyped("hé"u8.ToArray(), BinaryType.Instance, StringType.Instance));
        Assert.Equal("a\uFFFDb", CastTyped(new byte[] { 0x61, 0xFF, 0x62 }, BinaryType.Instance, StringType.Instance));
        Assert.Equal("hé"u8.ToArray(), (byte[])Cast("hé", BinaryType.Instance)!);
    }

    [Fact]
    public void Null_literal_casts_to_any_type() => Assert.Null(Cast(null, DateType.Instance));
}
