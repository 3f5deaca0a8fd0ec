using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Analysis;

/// <summary>
/// Spark's implicit type coercion (non-ANSI): numeric widening byte &lt; short &lt; int &lt; long &lt;
/// decimal &lt; float &lt; double, strings compared with numbers/dates as those types, NULL adopting the
/// other side's type, and decimal result precision for arithmetic.
/// </summary>
public static class TypeCoercion
{
    /// <summary>The narrowest numeric type both widen to.</summary>
    public static DataType? WidenNumeric(DataType a, DataType b)
    {
        if (!a.IsNumeric || !b.IsNumeric)
        {
            return null;
        }

        if (a.Equals(b))
        {
            return a;
        }

        if (a is DecimalType || b is DecimalType)
        {
            if (a is FloatType or DoubleType || b is FloatType or DoubleType)
            {
                return DoubleType.Instance;
            }

            var da = AsDecimal(a)!;
            var db = AsDecimal(b)!;
            var scale = Math.Max(da.Scale, db.Scale);
            var integral = Math.Max(da.Precision - da.Scale, db.Precision - db.Scale);
            return new DecimalType(Math.Min(DecimalType.MaxPrecision, integral + scale), Math.Min(scale, DecimalType.MaxPrecision));
        }

        return Rank(a) >= Rank(b) ? a : b;
    }

    /// <summary>A common type for values that meet in one column (CASE, COALESCE, IN), or null if none.</summary>
    public static DataType? Wider(DataType a, DataType b)
    {
        if (a.Equals(b) || b is NullType)
        {
            return a;
        }

        if (a is NullType)
        {
            return b;
        }

        return WidenNumeric(a, b) ?? (a, b) switch
        {
            (DateType, TimestampType) or (TimestampType, DateType) or (TimestampNtzType, TimestampType) or (TimestampType, TimestampNtzType) => TimestampType.Instance,
            (DateType, TimestampNtzType) or (TimestampNtzType, DateType) => TimestampNtzType.Instance,
            (StringType, _) when IsAtomic(b) => StringType.Instance,
            (_, StringType) when IsAtomic(a) => StringType.Instance,
            _ => null,
        };
    }

    /// <summary>The type both sides of a comparison are cast to, or null when they cannot be compared.</summary>
    public static DataType? ForComparison(DataType a, DataType b)
    {
        if (a.Equals(b) || b is NullType)
        {
            return a is StructType or ArrayType or MapType ? null : a;
        }

        if (a is NullType)
        {
            return ForComparison(b, a);
        }

        return WidenNumeric(a, b) ?? (a, b) switch
        {
            (StringType, _) when b.IsNumeric || b is DateType or TimestampType or TimestampNtzType or BooleanType => b,
            (_, StringType) when a.IsNumeric || a is DateType or TimestampType or TimestampNtzType or BooleanType => a,
            _ => Wider(a, b) is { } w && w is not StringType ? w : null,
        };
    }

    /// <summary>The decimal type an integral or decimal type converts to without loss (null otherwise).</summary>
    public static DecimalType? AsDecimal(DataType type) => type switch
    {
        DecimalType d => d,
        ByteType => new DecimalType(3, 0),
        ShortType => new DecimalType(5, 0),
        IntegerType => new DecimalType(10, 0),
        LongType => new DecimalType(20, 0),
        _ => null,
    };

    /// <summary>Spark's result type of decimal arithmetic (allowPrecisionLoss = true).</summary>
    public static DecimalType DecimalResult(BinaryOperator op, DecimalType a, DecimalType b)
    {
        var (p1, s1, p2, s2) = (a.Precision, a.Scale, b.Precision, b.Scale);
        var (precision, scale) = op switch
        {
            BinaryOperator.Add or BinaryOperator.Subtract => (Math.Max(p1 - s1, p2 - s2) + Math.Max(s1, s2) + 1, Math.Max(s1, s2)),
            BinaryOperator.Multiply => (p1 + p2 + 1, s1 + s2),
            BinaryOperator.Divide => (p1 - s1 + s2 + Math.Max(6, s1 + p2 + 1), Math.Max(6, s1 + p2 + 1)),
            _ => (Math.Min(p1 - s1, p2 - s2) + Math.Max(s1, s2), Math.Max(s1, s2)),
        };
        if (precision <= DecimalType.MaxPrecision)
        {
            return new DecimalType(Math.Max(precision, 1), scale);
        }

        var integral = precision - scale;
        var adjustedScale = Math.Max(DecimalType.MaxPrecision - integral, Math.Min(scale, 6));
        return new DecimalType(DecimalType.MaxPrecision, Math.Min(adjustedScale, DecimalType.MaxPrecision));
    }

    public static bool IsAtomic(DataType type) => type is not (StructType or ArrayType or MapType or NullType);

    private static int Rank(DataType type) => type switch
    {
        ByteType => 1,
        ShortType => 2,
        IntegerType => 3,
        LongType => 4,
        FloatType => 6,
        DoubleType => 7,
        _ => 0,
    };
}
