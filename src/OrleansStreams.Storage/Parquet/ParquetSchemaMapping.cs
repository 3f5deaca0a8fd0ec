using OrleansStreams.Engine.Types;
using PqSchema = Parquet.Schema;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Parquet fields (as Parquet.Net reads a file's schema) → Spark types; nested fields read as nullable,
/// as Spark reads them (<see cref="ParquetFieldLayout"/> is the write side).
/// </summary>
internal static class ParquetSchemaMapping
{
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
