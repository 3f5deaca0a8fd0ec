using OrleansStreams.Engine.Types;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Spark types ↔ Parquet fields, the way Spark writes them: strings as UTF-8 byte arrays, byte and
/// short as annotated INT32, dates as DATE, timestamps as INT64 microseconds (adjusted to UTC for
/// <c>timestamp</c>, not for <c>timestamp_ntz</c>), decimals as fixed-length byte arrays.
/// </summary>
internal static class ParquetSchemaMapping
{
    public static PqSchema.ParquetSchema ToParquet(StructType schema) => new(schema.Fields.Select(ToField));

    public static PqSchema.Field ToField(StructField field) => field.Type switch
    {
        StringType => new PqSchema.DataField<string>(field.Name, field.Nullable),
        BinaryType => new PqSchema.DataField<byte[]>(field.Name, field.Nullable),
        BooleanType => new PqSchema.DataField<bool>(field.Name, field.Nullable),
        ByteType => new PqSchema.DataField<sbyte>(field.Name, field.Nullable),
        ShortType => new PqSchema.DataField<short>(field.Name, field.Nullable),
        IntegerType => new PqSchema.DataField<int>(field.Name, field.Nullable),
        LongType => new PqSchema.DataField<long>(field.Name, field.Nullable),
        FloatType => new PqSchema.DataField<float>(field.Name, field.Nullable),
        DoubleType => new PqSchema.DataField<double>(field.Name, field.Nullable),
        DecimalType d => new PqSchema.DecimalDataField(field.Name, d.Precision, d.Scale, forceByteArrayEncoding: true, isNullable: field.Nullable),
        DateType => new PqSchema.DateTimeDataField(field.Name, PqSchema.DateTimeFormat.Date, isAdjustedToUTC: false, isNullable: field.Nullable),
        TimestampType => new PqSchema.DateTimeDataField(field.Name, PqSchema.DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: PqSchema.DateTimeTimeUnit.Micros, isNullable: field.Nullable),
        TimestampNtzType => new PqSchema.DateTimeDataField(field.Name, PqSchema.DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: PqSchema.DateTimeTimeUnit.Micros, isNullable: field.Nullable),
        _ => throw new NotSupportedException(
            $"Writing column {StructType.QuoteIdentifier(field.Name)} of type {field.Type.SimpleString} to Parquet is not supported yet: only atomic types are written"),
    };

    /// <summary>The Spark type of a Parquet field as this reader decodes it.</summary>
    public static DataType FromField(PqSchema.Field field) => field switch
    {
        PqSchema.DecimalDataField d => new DecimalType(d.Precision, d.Scale),
        PqSchema.DateTimeDataField { DateTimeFormat: PqSchema.DateTimeFormat.Date } => DateType.Instance,
        PqSchema.DateTimeDataField { IsAdjustedToUTC: false, DateTimeFormat: not PqSchema.DateTimeFormat.Impala } => TimestampNtzType.Instance,
        PqSchema.DateTimeDataField => TimestampType.Instance,
        PqSchema.StructField s => new StructType(s.Fields.Select(f => new StructField(f.Name, FromField(f)))),
        PqSchema.ListField l => new ArrayType(FromField(l.Item)),
        PqSchema.MapField m => new MapType(FromField(m.Key), FromField(m.Value)),
        PqSchema.DataField d => FromClr(d.ClrType, d.Name),
        _ => throw new NotSupportedException($"Parquet field {field.Name} ({field.GetType().Name}) has no Spark type here"),
    };

    private static DataType FromClr(Type type, string name) => type switch
    {
        _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => StringType.Instance,
        _ when type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) => BinaryType.Instance,
        _ when type == typeof(bool) => BooleanType.Instance,
        _ when type == typeof(sbyte) || type == typeof(byte) => ByteType.Instance,
        _ when type == typeof(short) || type == typeof(ushort) => ShortType.Instance,
        _ when type == typeof(int) || type == typeof(uint) => IntegerType.Instance,
        _ when type == typeof(long) || type == typeof(ulong) => LongType.Instance,
        _ when type == typeof(float) => FloatType.Instance,
        _ when type == typeof(double) => DoubleType.Instance,
        _ when type == typeof(DateTime) => TimestampType.Instance,
        _ when type == typeof(DateOnly) => DateType.Instance,
        _ => throw new NotSupportedException($"Parquet column {name} holds {type.Name} values, which have no Spark type here"),
    };
}
