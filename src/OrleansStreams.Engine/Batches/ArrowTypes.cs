using OrleansStreams.Engine.Types;
using Arrow = Apache.Arrow;
using ArrowT = Apache.Arrow.Types;

namespace OrleansStreams.Engine.Batches;

/// <summary>
/// The one mapping between Spark types and the Arrow types that hold them in a batch.
/// Timestamps are microseconds (Spark's and Delta's unit); <c>timestamp</c> carries the UTC
/// zone, <c>timestamp_ntz</c> none. Dates are days since the epoch.
/// </summary>
public static class ArrowTypes
{
    public static ArrowT.IArrowType ToArrow(DataType type) => type switch
    {
        NullType => ArrowT.NullType.Default,
        StringType => ArrowT.StringType.Default,
        BinaryType => ArrowT.BinaryType.Default,
        BooleanType => ArrowT.BooleanType.Default,
        ByteType => ArrowT.Int8Type.Default,
        ShortType => ArrowT.Int16Type.Default,
        IntegerType => ArrowT.Int32Type.Default,
        LongType => ArrowT.Int64Type.Default,
        FloatType => ArrowT.FloatType.Default,
        DoubleType => ArrowT.DoubleType.Default,
        DecimalType d => new ArrowT.Decimal128Type(d.Precision, d.Scale),
        DateType => ArrowT.Date32Type.Default,
        TimestampType => new ArrowT.TimestampType(ArrowT.TimeUnit.Microsecond, "UTC"),
        TimestampNtzType => new ArrowT.TimestampType(ArrowT.TimeUnit.Microsecond, (string?)null),
        ArrayType a => new ArrowT.ListType(new Arrow.Field("element", ToArrow(a.ElementType), a.ContainsNull)),
        MapType m => new ArrowT.MapType(
            new Arrow.Field("key", ToArrow(m.KeyType), false),
            new Arrow.Field("value", ToArrow(m.ValueType), m.ValueContainsNull)),
        StructType s => new ArrowT.StructType(s.Fields.Select(ToArrowField).ToList()),
        _ => throw new NotSupportedException($"no Arrow type for {type}"),
    };

    public static Arrow.Field ToArrowField(StructField field) => new(field.Name, ToArrow(field.Type), field.Nullable);

    public static Arrow.Schema ToArrowSchema(StructType schema) =>
        new(schema.Fields.Select(ToArrowField), metadata: null);

    public static DataType FromArrow(ArrowT.IArrowType type) => type switch
    {
        ArrowT.NullType => NullType.Instance,
        ArrowT.StringType => StringType.Instance,
        ArrowT.BinaryType => BinaryType.Instance,
        ArrowT.BooleanType => BooleanType.Instance,
        ArrowT.Int8Type => ByteType.Instance,
        ArrowT.Int16Type => ShortType.Instance,
        ArrowT.Int32Type => IntegerType.Instance,
        ArrowT.Int64Type => LongType.Instance,
        ArrowT.FloatType => FloatType.Instance,
        ArrowT.DoubleType => DoubleType.Instance,
        ArrowT.Decimal128Type d => new DecimalType(d.Precision, d.Scale),
        ArrowT.Date32Type => DateType.Instance,
        ArrowT.TimestampType t when t.Unit == ArrowT.TimeUnit.Microsecond => string.IsNullOrEmpty(t.Timezone) ? TimestampNtzType.Instance : TimestampType.Instance,
        ArrowT.MapType m => new MapType(FromArrow(m.KeyField.DataType), FromArrow(m.ValueField.DataType), m.ValueField.IsNullable),
        ArrowT.ListType l => new ArrayType(FromArrow(l.ValueDataType), l.ValueField.IsNullable),
        ArrowT.StructType s => new StructType(s.Fields.Select(FromArrowField)),
        _ => throw new NotSupportedException($"no Spark type for Arrow type {type.Name}"),
    };

    public static StructField FromArrowField(Arrow.Field field) => new(field.Name, FromArrow(field.DataType), field.IsNullable);

    public static StructType FromArrowSchema(Arrow.Schema schema) => new(schema.FieldsList.Select(FromArrowField));
}
