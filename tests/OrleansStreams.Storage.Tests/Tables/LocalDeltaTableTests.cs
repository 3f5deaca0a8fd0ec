using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Delta tables on the local file system, each also read back by DuckDB alone.</summary>
public sealed class LocalDeltaTableTests : DeltaTableContractTests, IDisposable
{
    private readonly TempDirectory temp = new("delta-local");

    public void Dispose() => temp.Dispose();

    protected override IObjectStore NewTableStore() => new LocalFileObjectStore(temp.Combine($"t{Guid.NewGuid():N}"));

    protected override void CheckIndependently(IObjectStore store, IReadOnlyList<object?[]> expectedRows, StructType schema, IReadOnlyList<string> partitionColumns)
    {
        var partitionTypes = partitionColumns.ToDictionary(c => c, c => DuckDbType(schema.Get(c).Type));
        var duck = DuckDbDelta.ReadRows(store.Root, partitionTypes);
        var dataColumns = schema.Fields.Where(f => !partitionColumns.Contains(f.Name)).Select(f => f.Name).Concat(partitionColumns).ToList();

        // DuckDB puts Hive partition columns last; compare by column name.
        var ours = expectedRows.Select(r => new System.Text.Json.Nodes.JsonObject(schema.Fields.Select((f, i) =>
            KeyValuePair.Create(f.Name, RowJson.Value(Engine.Expressions.Evaluation.Columns.FromScalars(f.Type, [r[i]]), 0))))).Cast<System.Text.Json.Nodes.JsonNode?>().ToList();
        Assert.Equal(dataColumns.Count, schema.Count);
        JsonRows.AssertSameRows(ours, duck, $"DuckDB reading {store.Root}");
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
