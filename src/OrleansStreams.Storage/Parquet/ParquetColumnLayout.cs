using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>Parquet's physical types (the Thrift enum values).</summary>
internal enum PhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Float = 4,
    Double = 5,
    ByteArray = 6,
    FixedLenByteArray = 7,
}

/// <summary>
/// How one atomic column (a top-level one, or a leaf of a nested one) is laid out in Parquet, the way Spark writes it: strings as UTF-8 byte arrays, byte
/// and short as annotated INT32, dates as DATE, timestamps as INT64 microseconds (adjusted to UTC for
/// <c>timestamp</c>, not for <c>timestamp_ntz</c>), decimals as fixed-length big-endian byte arrays.
/// </summary>
internal sealed record ParquetColumnLayout(StructField Field, PhysicalType Physical, int TypeLength, int? ConvertedType)
{
    // Thrift ConvertedType values.
    private const int Utf8 = 0;
    private const int Decimal = 5;
    private const int Date = 6;
    private const int TimestampMicros = 10;
    private const int Int8 = 15;
    private const int Int16 = 16;

    /// <param name="column">The top-level column the leaf belongs to, for errors (the field itself when flat).</param>
    public static ParquetColumnLayout For(StructField field, string? column = null) => field.Type switch
    {
        BooleanType => new(field, PhysicalType.Boolean, 0, null),
        ByteType => new(field, PhysicalType.Int32, 0, Int8),
        ShortType => new(field, PhysicalType.Int32, 0, Int16),
        IntegerType => new(field, PhysicalType.Int32, 0, null),
        LongType => new(field, PhysicalType.Int64, 0, null),
        FloatType => new(field, PhysicalType.Float, 0, null),
        DoubleType => new(field, PhysicalType.Double, 0, null),
        DecimalType d => new(field, PhysicalType.FixedLenByteArray, DecimalBytes(d.Precision), Decimal),
        DateType => new(field, PhysicalType.Int32, 0, Date),
        TimestampType => new(field, PhysicalType.Int64, 0, TimestampMicros),
        TimestampNtzType => new(field, PhysicalType.Int64, 0, null),
        StringType => new(field, PhysicalType.ByteArray, 0, Utf8),
        BinaryType => new(field, PhysicalType.ByteArray, 0, null),
        _ => throw new NotSupportedException(column is null || column == field.Name
            ? $"Writing column {StructType.QuoteIdentifier(field.Name)} of type {field.Type.SimpleString} to Parquet is not supported"
            : $"Writing column {StructType.QuoteIdentifier(column)} to Parquet is not supported: its {field.Name} values are of type {field.Type.SimpleString}"),
    };

    /// <summary>
    /// Field metadata naming the Parquet field_id to write for a field (Spark's key; Delta's column
    /// mapping gives every field one, see <see cref="Delta.ColumnMapping"/>).
    /// </summary>
    public const string FieldIdMetadataKey = "parquet.field.id";

    /// <summary>The field id the field's metadata asks for, if any.</summary>
    public static int? FieldId(StructField field) =>
        field.Metadata.TryGetValue(FieldIdMetadataKey, out var id) && int.TryParse(id, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>Whether min/max statistics are written for the column (signed integers, dates, timestamps).</summary>
    public bool HasOrderedStatistics => Physical is PhysicalType.Int32 or PhysicalType.Int64;

    /// <summary>The schema element of the footer.</summary>
    public void WriteSchemaElement(ThriftCompactWriter thrift)
    {
        thrift.BeginStruct();
        thrift.Field(1, (int)Physical);
        if (Physical == PhysicalType.FixedLenByteArray)
        {
            thrift.Field(2, TypeLength);
        }

        thrift.Field(3, Field.Nullable ? 1 : 0); // OPTIONAL : REQUIRED
        thrift.Field(4, Field.Name);
        if (ConvertedType is { } converted)
        {
            thrift.Field(6, converted);
        }

        if (Field.Type is DecimalType decimalType)
        {
            thrift.Field(7, decimalType.Scale);
            thrift.Field(8, decimalType.Precision);
        }

        if (FieldId(Field) is { } id)
        {
            thrift.Field(9, id);
        }

        WriteLogicalType(thrift);
        thrift.EndStruct();
    }

    private void WriteLogicalType(ThriftCompactWriter thrift)
    {
        // LogicalType is a union: one field, its id names the kind.
        short? kind = Field.Type switch
        {
            StringType => 1,
            DecimalType => 5,
            DateType => 6,
            TimestampType or TimestampNtzType => 8,
            ByteType or ShortType => 10,
            _ => null,
        };
        if (kind is not { } id)
        {
            return;
        }

        thrift.BeginStructField(10);
        thrift.BeginStructField(id);
        switch (Field.Type)
        {
            case DecimalType d:
                thrift.Field(1, d.Scale);
                thrift.Field(2, d.Precision);
                break;
            case TimestampType or TimestampNtzType:
                thrift.Field(1, Field.Type is TimestampType); // isAdjustedToUTC
                thrift.BeginStructField(2);
                thrift.BeginStructField(2); // MICROS
                thrift.EndStruct();
                thrift.EndStruct();
                break;
            case ByteType or ShortType:
                thrift.FieldByte(1, (sbyte)(Field.Type is ByteType ? 8 : 16));
                thrift.Field(2, true); // signed
                break;
        }

        thrift.EndStruct();
        thrift.EndStruct();
    }

    /// <summary>The fewest bytes whose two's complement holds every unscaled value of <paramref name="precision"/> digits.</summary>
    private static int DecimalBytes(int precision)
    {
        var max = System.Numerics.BigInteger.Pow(10, precision) - 1;
        var bytes = 1;
        while (System.Numerics.BigInteger.Pow(2, (8 * bytes) - 1) - 1 < max)
        {
            bytes++;
        }

        return bytes;
    }
}
