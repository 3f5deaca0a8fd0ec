using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

public class PartitionValuesTests
{
    public static TheoryData<object?, DataType, string?> Cases() => new()
    {
        { null, IntegerType.Instance, null },
        { "orders", StringType.Instance, "orders" },
        { true, BooleanType.Instance, "true" },
        { (sbyte)-3, ByteType.Instance, "-3" },
        { (short)7, ShortType.Instance, "7" },
        { 42, IntegerType.Instance, "42" },
        { 9_000_000_000L, LongType.Instance, "9000000000" },
        { 1.0f, FloatType.Instance, "1.0" },
        { 2.5d, DoubleType.Instance, "2.5" },
        { 1234.50m, new DecimalType(10, 2), "1234.50" },
        { 18878, DateType.Instance, "2021-09-08" },
        { 1631099471000000L, TimestampType.Instance, "2021-09-08 11:11:11" },
        { 1631099471123400L, TimestampType.Instance, "2021-09-08 11:11:11.1234" },
        { -1L, TimestampNtzType.Instance, "1969-12-31 23:59:59.999999" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Format_and_parse_round_trip(object? scalar, DataType type, string? text)
    {
        Assert.Equal(text, PartitionValues.Format(scalar, type));
        Assert.Equal(scalar, PartitionValues.Parse(text, type));
    }

    [Fact]
    public void Parse_accepts_other_writers_spellings_and_nulls()
    {
        Assert.Equal(1631099471000000L, PartitionValues.Parse("2021-09-08T11:11:11.000000Z", TimestampType.Instance));
        Assert.Null(PartitionValues.Parse("", IntegerType.Instance));
        Assert.Null(PartitionValues.Parse(PartitionPath.DefaultPartitionName, StringType.Instance));
        Assert.Equal("", PartitionValues.Parse("", StringType.Instance));
    }

    [Fact]
    public void A_malformed_value_names_the_value_and_the_type()
    {
        var error = Assert.Throws<FormatException>(() => PartitionValues.Parse("2021-13-45", DateType.Instance));

        Assert.Contains("'2021-13-45' is not a valid date", error.Message, StringComparison.Ordinal);
    }
}
