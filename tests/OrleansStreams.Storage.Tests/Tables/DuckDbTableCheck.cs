using System.Text.Json.Nodes;
using OrleansStreams.Engine.Types;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Compares a Delta table folder, read by DuckDB alone, with the rows it should hold.</summary>
internal static class DuckDbTableCheck
{
    public static void AssertRows(string tableFolder, IReadOnlyList<object?[]> expectedRows, StructType schema, IReadOnlyList<string> partitionColumns)
    {
        var partitionTypes = partitionColumns.ToDictionary(c => c, c => DuckDbType(schema.Get(c).Type));
        var duck = DuckDbDelta.ReadRows(tableFolder, partitionTypes);

        // DuckDB puts Hive partition columns last; compare by column name.
        var ours = expectedRows.Select(r => new JsonObject(schema.Fields.Select((f, i) =>
            KeyValuePair.Create(f.Name, RowJson.Value(Engine.Expressions.Evaluation.Columns.FromScalars(f.Type, [r[i]]), 0))))).Cast<JsonNode?>().ToList();
        JsonRows.AssertSameRows(ours, duck, $"DuckDB reading {tableFolder}");
    }

    private static string DuckDbType(DataType type) => type switch
    {
        StringType => "VARCHAR",
        IntegerType => "INTEGER",
        LongType => "BIGINT",
        DateType => "DATE",
        _ => throw new NotSupportedException(type.SimpleString),
    };
}
