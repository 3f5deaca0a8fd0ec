namespace OrleansStreams.Engine.Types;

/// <summary>
/// A Spark SQL data type. Instances are immutable and compare by value, so two schemas
/// parsed from the same DDL are equal.
/// </summary>
public abstract record DataType
{
    /// <summary>The Spark name of the type, as a DDL string would spell it (e.g. <c>bigint</c>, <c>decimal(10,2)</c>).</summary>
    public abstract string SimpleString { get; }

    /// <summary>The name Delta's schema JSON uses for a primitive (e.g. <c>long</c>, <c>integer</c>).</summary>
    public virtual string JsonName => SimpleString;

    public bool IsNumeric => this is ByteType or ShortType or IntegerType or LongType or FloatType or DoubleType or DecimalType;

    public bool IsIntegral => this is ByteType or ShortType or IntegerType or LongType;

    public sealed override string ToString() => SimpleString;
}

public sealed record StringType : DataType
{
    public static readonly StringType Instance = new();
    public override string SimpleString => "string";
}

public sealed record BinaryType : DataType
{
    public static readonly BinaryType Instance = new();
    public override string SimpleString => "binary";
}

public sealed record BooleanType : DataType
{
    public static readonly BooleanType Instance = new();
    public override string SimpleString => "boolean";
}

public sealed record ByteType : DataType
{
    public static readonly ByteType Instance = new();
    public override string SimpleString => "tinyint";
    public override string JsonName => "byte";
}

public sealed record ShortType : DataType
{
    public static readonly ShortType Instance = new();
    public override string SimpleString => "smallint";
    public override string JsonName => "short";
}

public sealed record IntegerType : DataType
{
    public static readonly IntegerType Instance = new();
    public override string SimpleString => "int";
    public override string JsonName => "integer";
}

public sealed record LongType : DataType
{
    public static readonly LongType Instance = new();
    public override string SimpleString => "bigint";
    public override string JsonName => "long";
}

public sealed record FloatType : DataType
{
    public static readonly FloatType Instance = new();
    public override string SimpleString => "float";
}

public sealed record DoubleType : DataType
{
    public static readonly DoubleType Instance = new();
    public override string SimpleString => "double";
}

public sealed record DateType : DataType
{
    public static readonly DateType Instance = new();
    public override string SimpleString => "date";
}

/// <summary>An instant in time (microseconds since the epoch, UTC), shown in the session time zone.</summary>
public sealed record TimestampType : DataType
{
    public static readonly TimestampType Instance = new();
    public override string SimpleString => "timestamp";
}

/// <summary>A wall-clock date and time without a time zone (microseconds).</summary>
public sealed record TimestampNtzType : DataType
{
    public static readonly TimestampNtzType Instance = new();
    public override string SimpleString => "timestamp_ntz";
}

public sealed record DecimalType : DataType
{
    public const int MaxPrecision = 38;

    public DecimalType(int precision, int scale)
    {
        if (precision is < 1 or > MaxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"decimal precision must be between 1 and {MaxPrecision}");
        }

        if (scale < 0 || scale > precision)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"decimal scale must be between 0 and the precision ({precision})");
        }

        Precision = precision;
        Scale = scale;
    }

    /// <summary>Spark's default for a bare <c>decimal</c>.</summary>
    public static readonly DecimalType Default = new(10, 0);

    public int Precision { get; }

    public int Scale { get; }

    public override string SimpleString => $"decimal({Precision},{Scale})";
}

public sealed record ArrayType(DataType ElementType, bool ContainsNull = true) : DataType
{
    public override string SimpleString => $"array<{ElementType.SimpleString}>";
}

public sealed record MapType(DataType KeyType, DataType ValueType, bool ValueContainsNull = true) : DataType
{
    public override string SimpleString => $"map<{KeyType.SimpleString},{ValueType.SimpleString}>";
}
