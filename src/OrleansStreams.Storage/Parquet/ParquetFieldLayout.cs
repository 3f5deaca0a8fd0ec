using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// How one top-level column is laid out in Parquet, the way Spark writes it: an atomic column is one
/// leaf; a struct is a group of its fields; an array is the 3-level LIST
/// (<c>&lt;name&gt; (LIST) { repeated group list { element } }</c>); a map is
/// <c>&lt;name&gt; (MAP) { repeated group key_value { required key; value } }</c>. Nullability is
/// the Spark field's, an array's <c>containsNull</c> and a map's <c>valueContainsNull</c>.
/// </summary>
internal sealed class ParquetFieldLayout
{
    // Thrift FieldRepetitionType and ConvertedType values, and LogicalType union ids.
    private const int Required = 0;
    private const int Optional = 1;
    private const int Repeated = 2;
    private const int ConvertedMap = 1;
    private const int ConvertedList = 3;
    private const short LogicalMap = 2;
    private const short LogicalList = 3;

    private ParquetFieldLayout(StructField field, IReadOnlyList<ParquetLeafColumn> leaves)
    {
        Field = field;
        Leaves = leaves;
    }

    public StructField Field { get; }

    /// <summary>The leaf columns, in schema order (the order of the row group's column chunks).</summary>
    public IReadOnlyList<ParquetLeafColumn> Leaves { get; }

    /// <summary>An atomic top-level column, written straight from its Arrow buffers with its validity as levels.</summary>
    public bool IsFlat => Field.Type is not (StructType or ArrayType or MapType);

    public static ParquetFieldLayout For(StructField field)
    {
        var leaves = new List<ParquetLeafColumn>();
        Collect(field, [field.Name], field.Type, field.Nullable, [], 0, 0, leaves);
        return new ParquetFieldLayout(field, leaves);
    }

    /// <summary>How many schema elements <see cref="WriteSchemaElements"/> writes.</summary>
    public int SchemaElementCount => Count(Field.Type);

    /// <summary>The schema elements of the column, depth first as the footer lists them.</summary>
    public void WriteSchemaElements(ThriftCompactWriter thrift) => Write(thrift, Field);

    private static void Collect(StructField top, string[] path, DataType type, bool nullable, ShredStep[] steps, int definition, int repetition, List<ParquetLeafColumn> leaves)
    {
        definition += nullable ? 1 : 0;
        switch (type)
        {
            case StructType st:
                if (st.Count == 0)
                {
                    throw new NotSupportedException(
                        $"Writing column {StructType.QuoteIdentifier(top.Name)} to Parquet is not supported: {string.Join('.', path)} is a struct without fields, which Parquet cannot hold");
                }

                for (var k = 0; k < st.Count; k++)
                {
                    Collect(top, [.. path, st[k].Name], st[k].Type, st[k].Nullable, [.. steps, new(ShredStepKind.Struct, nullable, k)], definition, repetition, leaves);
                }

                break;
            case ArrayType at:
                Collect(top, [.. path, "list", "element"], at.ElementType, at.ContainsNull, [.. steps, new(ShredStepKind.List, nullable, 0)], definition + 1, repetition + 1, leaves);
                break;
            case MapType mt:
                Collect(top, [.. path, "key_value", "key"], mt.KeyType, false, [.. steps, new(ShredStepKind.Map, nullable, 0)], definition + 1, repetition + 1, leaves);
                Collect(top, [.. path, "key_value", "value"], mt.ValueType, mt.ValueContainsNull, [.. steps, new(ShredStepKind.Map, nullable, 1)], definition + 1, repetition + 1, leaves);
                break;
            default:
                var layout = ParquetColumnLayout.For(new StructField(path[^1], type, nullable), top.Name);
                leaves.Add(new ParquetLeafColumn(layout, path, definition, repetition, [.. steps, new(ShredStepKind.Leaf, nullable, 0)]));
                break;
        }
    }

    private static int Count(DataType type) => type switch
    {
        StructType st => 1 + st.Fields.Sum(f => Count(f.Type)),
        ArrayType at => 2 + Count(at.ElementType),
        MapType mt => 2 + Count(mt.KeyType) + Count(mt.ValueType),
        _ => 1,
    };

    // A named field carries its field id (if its metadata gives one); list and map levels have none.
    private static void Write(ThriftCompactWriter thrift, StructField field)
    {
        var repetition = field.Nullable ? Optional : Required;
        var id = ParquetColumnLayout.FieldId(field);
        switch (field.Type)
        {
            case StructType st:
                Group(thrift, field.Name, repetition, st.Count, null, id);
                foreach (var child in st.Fields)
                {
                    Write(thrift, child);
                }

                break;
            case ArrayType at:
                Group(thrift, field.Name, repetition, 1, (ConvertedList, LogicalList), id);
                Group(thrift, "list", Repeated, 1, null, null);
                Write(thrift, new StructField("element", at.ElementType, at.ContainsNull));
                break;
            case MapType mt:
                Group(thrift, field.Name, repetition, 1, (ConvertedMap, LogicalMap), id);
                Group(thrift, "key_value", Repeated, 2, null, null);
                Write(thrift, new StructField("key", mt.KeyType, false));
                Write(thrift, new StructField("value", mt.ValueType, mt.ValueContainsNull));
                break;
            default:
                ParquetColumnLayout.For(field).WriteSchemaElement(thrift);
                break;
        }
    }

    private static void Group(ThriftCompactWriter thrift, string name, int repetition, int children, (int Converted, short Logical)? annotation, int? fieldId)
    {
        thrift.BeginStruct();
        thrift.Field(3, repetition);
        thrift.Field(4, name);
        thrift.Field(5, children);
        if (annotation is { } a)
        {
            thrift.Field(6, a.Converted);
        }

        if (fieldId is { } id)
        {
            thrift.Field(9, id);
        }

        if (annotation is { } logical)
        {
            thrift.BeginStructField(10);
            thrift.BeginStructField(logical.Logical); // an empty MapType / ListType struct
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }
}
