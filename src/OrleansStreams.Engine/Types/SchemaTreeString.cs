using System.Text;

namespace OrleansStreams.Engine.Types;

/// <summary>A schema drawn as Spark's <c>printSchema()</c> does (<c>root</c>, then <c> |-- name: type (nullable = true)</c>).</summary>
public static class SchemaTreeString
{
    public static string Format(StructType schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var text = new StringBuilder("root\n");
        AppendFields(text, schema, " |");
        return text.ToString();
    }

    private static void AppendFields(StringBuilder text, StructType schema, string prefix)
    {
        foreach (var field in schema)
        {
            AppendNode(text, prefix, field.Name, field.Type, $" (nullable = {Lower(field.Nullable)})");
        }
    }

    private static void AppendNode(StringBuilder text, string prefix, string name, DataType type, string suffix)
    {
        text.Append(prefix).Append("-- ").Append(name).Append(": ").Append(TypeName(type)).Append(suffix).Append('\n');
        var childPrefix = prefix + "    |";
        switch (type)
        {
            case StructType s:
                AppendFields(text, s, childPrefix);
                break;
            case ArrayType a:
                AppendNode(text, childPrefix, "element", a.ElementType, $" (containsNull = {Lower(a.ContainsNull)})");
                break;
            case MapType m:
                AppendNode(text, childPrefix, "key", m.KeyType, string.Empty);
                AppendNode(text, childPrefix, "value", m.ValueType, $" (valueContainsNull = {Lower(m.ValueContainsNull)})");
                break;
        }
    }

    private static string TypeName(DataType type) => type switch
    {
        StructType => "struct",
        ArrayType => "array",
        MapType => "map",
        _ => type.JsonName,
    };

    private static string Lower(bool value) => value ? "true" : "false";
}
