using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Casts;

/// <summary>Which CASTs Spark's default (non-ANSI) mode allows between the types the evaluator supports.</summary>
public static class CastRules
{
    public static bool CanCast(DataType from, DataType to)
    {
        if (from.Equals(to) || from is NullType)
        {
            return true;
        }

        return (from, to) switch
        {
            (_, StringType) => IsAtomic(from),
            (StringType, _) => IsAtomic(to),
            (BinaryType, _) or (_, BinaryType) => false,
            (DateType, TimestampType or TimestampNtzType) => true,
            (TimestampType or TimestampNtzType, DateType or TimestampType or TimestampNtzType) => true,
            (_, DateType) or (DateType, _) => false,
            (TimestampNtzType, _) or (_, TimestampNtzType) => false,
            (BooleanType, TimestampType) or (TimestampType, BooleanType) => false,
            _ => IsNumberLike(from) && IsNumberLike(to),
        };
    }

    private static bool IsAtomic(DataType type) => type is not (StructType or ArrayType or MapType);

    private static bool IsNumberLike(DataType type) => type.IsNumeric || type is BooleanType or TimestampType;
}
