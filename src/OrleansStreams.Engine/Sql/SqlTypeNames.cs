using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Sql;

/// <summary>
/// The primitive type names SQL accepts in <c>CAST(x AS type)</c> and <c>x::type</c>, with Spark's
/// aliases. Complex types (array, map, struct) belong to the DDL type parser.
/// </summary>
public static class SqlTypeNames
{
    private static readonly Dictionary<string, DataType> Primitives = new(StringComparer.OrdinalIgnoreCase)
    {
        ["string"] = StringType.Instance,
        ["varchar"] = StringType.Instance,
        ["char"] = StringType.Instance,
        ["binary"] = BinaryType.Instance,
        ["boolean"] = BooleanType.Instance,
        ["bool"] = BooleanType.Instance,
        ["tinyint"] = ByteType.Instance,
        ["byte"] = ByteType.Instance,
        ["smallint"] = ShortType.Instance,
        ["short"] = ShortType.Instance,
        ["int"] = IntegerType.Instance,
        ["integer"] = IntegerType.Instance,
        ["bigint"] = LongType.Instance,
        ["long"] = LongType.Instance,
        ["float"] = FloatType.Instance,
        ["real"] = FloatType.Instance,
        ["double"] = DoubleType.Instance,
        ["date"] = DateType.Instance,
        ["timestamp"] = TimestampType.Instance,
        ["timestamp_ltz"] = TimestampType.Instance,
        ["timestamp_ntz"] = TimestampNtzType.Instance,
        ["void"] = NullType.Instance,
    };

    private static readonly HashSet<string> DecimalNames = new(StringComparer.OrdinalIgnoreCase) { "decimal", "dec", "numeric" };

    private static readonly HashSet<string> ComplexNames = new(StringComparer.OrdinalIgnoreCase) { "array", "map", "struct" };

    /// <summary>The type a non-parameterised name stands for (<c>decimal</c> alone is <c>decimal(10,0)</c>), or null.</summary>
    public static DataType? Primitive(string name) =>
        Primitives.TryGetValue(name, out var type) ? type : IsDecimal(name) ? DecimalType.Default : null;

    public static bool IsDecimal(string name) => DecimalNames.Contains(name);

    /// <summary><c>varchar(n)</c> and <c>char(n)</c> take a length that Spark ignores when casting (they read as string).</summary>
    public static bool TakesLength(string name) =>
        string.Equals(name, "varchar", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "char", StringComparison.OrdinalIgnoreCase);

    public static bool IsComplex(string name) => ComplexNames.Contains(name);
}
