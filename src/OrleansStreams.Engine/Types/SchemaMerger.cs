using System.Collections.Immutable;

namespace OrleansStreams.Engine.Types;

/// <summary>
/// Schema evolution for Delta writes. <see cref="Merge"/> is what <c>mergeSchema</c> does: it keeps
/// the table's columns (order, case, nullability, metadata), appends new columns at the end of their
/// struct, and refuses type changes. <see cref="EnsureCompatible"/> checks a write without it.
/// Column names match case-insensitively, as in Spark.
/// </summary>
public static class SchemaMerger
{
    /// <summary>
    /// The table schema after writing data with <paramref name="incoming"/> schema. An incoming
    /// <c>void</c> (NullType) column takes the existing type; an existing void column takes the incoming type.
    /// </summary>
    /// <exception cref="SchemaMismatchException">A column's type differs (nullability aside).</exception>
    public static StructType Merge(StructType existing, StructType incoming)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(incoming);
        return MergeStruct(existing, incoming, ImmutableList<(string Existing, string Incoming)>.Empty, string.Empty);
    }

    /// <summary>True when <paramref name="incoming"/> has a column, top-level or nested, that <paramref name="existing"/> lacks.</summary>
    public static bool HasNewColumns(StructType existing, StructType incoming) => FindNewColumns(existing, incoming).Count > 0;

    /// <summary>Dotted paths of the columns of <paramref name="incoming"/> missing from <paramref name="existing"/> (array elements are <c>element</c>, map parts <c>key</c>/<c>value</c>).</summary>
    public static IReadOnlyList<string> FindNewColumns(StructType existing, StructType incoming)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(incoming);
        var found = new List<string>();
        CollectNewColumns(existing, incoming, string.Empty, found);
        return found;
    }

    /// <summary>
    /// Checks that data with <paramref name="dataSchema"/> can be appended to a table with
    /// <paramref name="tableSchema"/> without changing it: no extra columns, no type changes, and no
    /// NOT NULL table column left out. Columns the data lacks are otherwise fine (they are written as null).
    /// </summary>
    /// <exception cref="SchemaMismatchException">The write would need schema merging or cannot be done.</exception>
    public static void EnsureCompatible(StructType tableSchema, StructType dataSchema)
    {
        ArgumentNullException.ThrowIfNull(tableSchema);
        ArgumentNullException.ThrowIfNull(dataSchema);
        var extra = FindNewColumns(tableSchema, dataSchema);
        if (extra.Count > 0)
        {
            throw Mismatch(
                $"the data has {(extra.Count == 1 ? "a column" : "columns")} the table does not have: {string.Join(", ", extra)}. "
                + "To enable schema migration, set option mergeSchema to true (.option(\"mergeSchema\", \"true\")).",
                extra,
                tableSchema,
                dataSchema);
        }

        StructType merged;
        try
        {
            merged = Merge(tableSchema, dataSchema);
        }
        catch (SchemaMismatchException e)
        {
            throw Mismatch(e.Message + ".", e.Columns, tableSchema, dataSchema);
        }

        if (!merged.Equals(tableSchema))
        {
            // Without new columns or type changes, the only change left is a void table column getting a type.
            throw Mismatch(
                "the data gives a type to a column the table stores as void. To enable schema migration, set option mergeSchema to true.",
                [],
                tableSchema,
                dataSchema);
        }

        var missingRequired = tableSchema.Where(f => !f.Nullable && dataSchema.Find(f.Name) is null).Select(f => f.Name).ToList();
        if (missingRequired.Count > 0)
        {
            throw Mismatch(
                $"the table's NOT NULL {(missingRequired.Count == 1 ? "column is" : "columns are")} missing from the data: {string.Join(", ", missingRequired)}.",
                missingRequired,
                tableSchema,
                dataSchema);
        }
    }

    private static SchemaMismatchException Mismatch(string detail, IReadOnlyList<string> columns, StructType table, StructType data) =>
        new(
            $"A schema mismatch detected when writing to the Delta table: {detail}\n\nTable schema:\n{SchemaTreeString.Format(table)}\nData schema:\n{SchemaTreeString.Format(data)}",
            columns);

    private static StructType MergeStruct(StructType existing, StructType incoming, ImmutableList<(string Existing, string Incoming)> fields, string path)
    {
        var merged = new List<StructField>(existing.Count);
        foreach (var current in existing)
        {
            if (incoming.Find(current.Name) is { } update)
            {
                var type = MergeType(current.Type, update.Type, fields.Add((current.Name, update.Name)), Join(path, current.Name));
                merged.Add(current.WithType(type));
            }
            else
            {
                merged.Add(current);
            }
        }

        merged.AddRange(incoming.Where(f => existing.Find(f.Name) is null));
        return new StructType(merged);
    }

    private static DataType MergeType(DataType existing, DataType incoming, ImmutableList<(string Existing, string Incoming)> fields, string path) =>
        (existing, incoming) switch
        {
            (_, NullType) => existing,
            (NullType, _) => incoming,
            (StructType e, StructType i) => MergeStruct(e, i, fields, path),
            (ArrayType e, ArrayType i) => new ArrayType(MergeType(e.ElementType, i.ElementType, fields, Join(path, "element")), e.ContainsNull),
            (MapType e, MapType i) => new MapType(
                MergeType(e.KeyType, i.KeyType, fields, Join(path, "key")),
                MergeType(e.ValueType, i.ValueType, fields, Join(path, "value")),
                e.ValueContainsNull),
            _ when existing.Equals(incoming) => existing,
            _ => throw new SchemaMismatchException(
                string.Concat(fields.Select(f => $"Failed to merge fields '{f.Existing}' and '{f.Incoming}'. "))
                + $"Failed to merge incompatible data types {SparkTypeName(existing)} and {SparkTypeName(incoming)} (column {path}: {existing.SimpleString} in the table, {incoming.SimpleString} in the data)",
                [path]),
        };

    private static void CollectNewColumns(DataType existing, DataType incoming, string path, List<string> found)
    {
        switch (existing, incoming)
        {
            case (StructType e, StructType i):
                foreach (var field in i)
                {
                    if (e.Find(field.Name) is { } match)
                    {
                        CollectNewColumns(match.Type, field.Type, Join(path, match.Name), found);
                    }
                    else
                    {
                        found.Add(Join(path, field.Name));
                    }
                }

                break;
            case (ArrayType e, ArrayType i):
                CollectNewColumns(e.ElementType, i.ElementType, Join(path, "element"), found);
                break;
            case (MapType e, MapType i):
                CollectNewColumns(e.KeyType, i.KeyType, Join(path, "key"), found);
                CollectNewColumns(e.ValueType, i.ValueType, Join(path, "value"), found);
                break;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>Spark's Scala name of a type (<c>IntegerType</c>, <c>DecimalType(10,2)</c>), which its merge errors use.</summary>
    internal static string SparkTypeName(DataType type) => type switch
    {
        DecimalType d => $"DecimalType({d.Precision},{d.Scale})",
        ArrayType a => $"ArrayType({SparkTypeName(a.ElementType)},{Lower(a.ContainsNull)})",
        MapType m => $"MapType({SparkTypeName(m.KeyType)},{SparkTypeName(m.ValueType)},{Lower(m.ValueContainsNull)})",
        StructType s => $"StructType({string.Join(",", s.Select(f => $"StructField({f.Name},{SparkTypeName(f.Type)},{Lower(f.Nullable)})"))})",
        TimestampNtzType => "TimestampNTZType",
        _ => type.GetType().Name,
    };

    private static string Lower(bool value) => value ? "true" : "false";
}
