using System.Text.Json;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>
/// Our writes to column-mapped tables: files under physical names with Parquet field ids, partition
/// values and stats keyed by physical names, ids for new columns; reads back through renames and drops.
/// </summary>
public sealed class ColumnMappingWriteTests : IDisposable
{
    private static readonly StructType Schema = DdlParser.ParseSchema("id INT, name STRING, s STRUCT<a: INT, tags: ARRAY<STRING>>, region STRING");

    private readonly TempDirectory temp = new("column-mapping-write");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("name")]
    [InlineData("id")]
    public async Task A_new_column_mapped_table_writes_physical_names_and_field_idsAsync(string mode)
    {
        var folder = temp.Combine(mode);
        var table = await CreateAsync(folder, mode);

        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(new ProtocolAction(2, 5), snapshot.Protocol);
        Assert.Equal("6", snapshot.Metadata.Configuration[ColumnMapping.MaxColumnIdProperty]);
        var ids = AllFields(snapshot.Schema).Select(ColumnMapping.FieldId).Order().ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], ids);
        Assert.Contains("\"delta.columnMapping.id\":1,", snapshot.Metadata.SchemaString, StringComparison.Ordinal); // a JSON number, as Spark writes it

        var mapping = ColumnMapping.For(snapshot);
        var physical = mapping.ToPhysical(snapshot.Schema);
        var region = mapping.PhysicalName(snapshot.Schema.Get("region"));
        Assert.All(snapshot.ActiveFiles, f => Assert.Equal([region], f.PartitionValues.Keys));
        Assert.All(snapshot.ActiveFiles, f => Assert.StartsWith($"{region}=", f.Path, StringComparison.Ordinal));
        var stats = JsonDocument.Parse(snapshot.ActiveFiles[0].Stats!).RootElement.GetProperty("minValues");
        Assert.True(stats.TryGetProperty(mapping.PhysicalName(snapshot.Schema.Get("id")), out _), stats.GetRawText());
        Assert.False(stats.TryGetProperty("id", out _));

        // The data file holds physical names and the column ids as Parquet field ids, nested fields included.
        var file = Path.Combine(folder, Uri.UnescapeDataString(snapshot.ActiveFiles[0].Path));
        await using (var stream = File.OpenRead(file))
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(stream))
        {
            var fileFields = reader.Schema.Fields;
            Assert.Equal(physical.FieldNames.Where(n => n != region), fileFields.Select(f => f.Name));
            var fileStruct = Assert.IsType<global::Parquet.Schema.StructField>(fileFields[2]);
            Assert.Equal(ColumnMapping.FieldId(snapshot.Schema.Get("s")), fileStruct.SchemaElement?.FieldId);
            var nested = ((StructType)snapshot.Schema.Get("s").Type).Get("a");
            Assert.Equal(mapping.PhysicalName(nested), fileStruct.Fields[0].Name);
            Assert.Equal(ColumnMapping.FieldId(nested), fileStruct.Fields[0].SchemaElement?.FieldId);
        }

        Assert.Equal(Canonical([[1, "a", "east"], [2, "b", "east"], [3, "c", "west"]]), Canonical(await ReadAllAsync(table, columns: ["id", "name", "region"])));
        var structs = new List<Apache.Arrow.RecordBatch>();
        await foreach (var batch in table.ReadAsync(snapshot, ["id", "s"]))
        {
            structs.Add(batch);
        }

        Assert.Equal(
            ["""{"id":1,"s":{"a":10,"tags":["x"]}}""", """{"id":2,"s":{"a":20,"tags":["y","z"]}}""", """{"id":3,"s":null}"""],
            RowJson.Render(structs).Select(r => r.ToJsonString()).Order(StringComparer.Ordinal));

        // DuckDB reads the files (by physical name) and the partition folders on its own.
        DuckDbTableCheck.AssertRows(folder, Rows1, physical, [region]);
    }

    [Fact]
    public async Task Renamed_and_dropped_columns_then_appends_and_merged_columns_read_backAsync()
    {
        var table = await CreateAsync(temp.Combine("evolve"), "name");
        var snapshot = await table.GetSnapshotAsync();

        // RENAME COLUMN name TO label; DROP COLUMN s: a metadata-only commit, the files stay as written.
        var evolved = new StructType(snapshot.Schema.Fields.Where(f => f.Name != "s").Select(f => f.Name == "name" ? f.WithName("label") : f));
        await table.Log.CommitAsync(new DeltaTransaction(snapshot, "RENAME COLUMN").UpdateMetadata(snapshot.Metadata with { SchemaString = SchemaJson.Serialize(evolved) }));
        Assert.Equal(Canonical([[1, "a", "east"], [2, "b", "east"], [3, "c", "west"]]), Canonical(await ReadAllAsync(table)));

        // An append under the new names, then one that merges a new column.
        var current = DdlParser.ParseSchema("id INT, label STRING, region STRING");
        await table.WriteAsync(current, [Batch(current, [[4, "d", "west"]])]);
        var merged = DdlParser.ParseSchema("id INT, label STRING, region STRING, score DOUBLE");
        await table.WriteAsync(merged, [Batch(merged, [[5, "e", "east", 1.5]])], new DeltaWriteOptions { MergeSchema = true });

        var latest = await table.GetSnapshotAsync();
        var score = latest.Schema.Get("score");
        Assert.Equal(7, ColumnMapping.FieldId(score));
        Assert.StartsWith("col-", ColumnMapping.For(latest).PhysicalName(score), StringComparison.Ordinal);
        Assert.Equal("7", latest.Metadata.Configuration[ColumnMapping.MaxColumnIdProperty]);
        Assert.DoesNotContain("\"delta.columnMapping.id\":\"", latest.Metadata.SchemaString, StringComparison.Ordinal);
        Assert.Equal(
            Canonical([[1, "a", "east", null], [2, "b", "east", null], [3, "c", "west", null], [4, "d", "west", null], [5, "e", "east", 1.5]]),
            Canonical(await ReadAllAsync(table)));
    }

    [Fact]
    public async Task A_Spark_name_mode_table_takes_an_append_keyed_by_physical_namesAsync()
    {
        // Reader 3 / writer 7 with timestampNtz and columnMapping; the partition column is timestamp_ntz.
        var folder = temp.Combine("spark-name-mode");
        TestData.CopyDeltaTable("data-reader-timestamp_ntz-name-mode", folder);
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        var before = await table.GetSnapshotAsync();
        var schema = before.Schema;
        const long micros = 1_700_000_000_000_000L;

        Assert.Equal(2, await table.WriteAsync(schema, [Batch(schema, [[9, micros, micros]])]));

        var snapshot = await table.GetSnapshotAsync();
        var added = snapshot.ActiveFiles.Single(f => !before.ActiveFiles.Contains(f));
        Assert.Equal(["col-805808af-d12a-42e5-a7ec-f1a99abb82ee"], added.PartitionValues.Keys);
        var rows = await ReadAllAsync(table);
        Assert.Equal(10, rows.Count);
        Assert.Contains(rows, r => Equals(r[0], 9) && r[1] is not null && r[2] is not null);
    }

    [Fact]
    public async Task A_new_table_with_timestamp_ntz_and_column_mapping_lists_both_featuresAsync()
    {
        var schema = DdlParser.ParseSchema("id INT, at TIMESTAMP_NTZ");
        var table = new DeltaTable(new LocalFileObjectStore(temp.Combine("ntz")));
        await table.CreateAsync(schema, configuration: new Dictionary<string, string> { [ColumnMapping.ModeProperty] = "name" });
        await table.WriteAsync(schema, [Batch(schema, [[1, 5L]])]);

        Assert.Equal(new ProtocolAction(3, 7, ["timestampNtz", "columnMapping"], ["appendOnly", "invariants", "timestampNtz", "columnMapping"]), (await table.GetSnapshotAsync()).Protocol);
        Assert.Equal(Canonical([[1, 5L]]), Canonical(await ReadAllAsync(table)));
    }

    [Fact]
    public async Task A_column_mapped_table_reads_back_from_its_checkpointAsync()
    {
        var folder = temp.Combine("checkpointed");
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        await table.CreateAsync(Schema, ["region"], new Dictionary<string, string> { [ColumnMapping.ModeProperty] = "name", [TableProperties.CheckpointInterval] = "2" });
        await table.WriteAsync(Schema, [Batch(Schema, Rows1)]);
        await table.WriteAsync(Schema, [Batch(Schema, [[4, "d", null, "west"]])]);

        Assert.Contains(Directory.EnumerateFiles(Path.Combine(folder, "_delta_log")), f => f.EndsWith(".checkpoint.parquet", StringComparison.Ordinal));
        var fresh = new DeltaTable(new LocalFileObjectStore(folder));
        Assert.Equal(ColumnMappingMode.Name, ColumnMapping.For(await fresh.GetSnapshotAsync()).Mode);
        Assert.Equal(
            Canonical([[1, "a", "east"], [2, "b", "east"], [3, "c", "west"], [4, "d", "west"]]),
            Canonical(await ReadAllAsync(fresh, columns: ["id", "name", "region"])));
    }

    [Fact]
    public async Task Creating_a_table_with_an_unknown_column_mapping_mode_is_refused_before_any_commitAsync()
    {
        var folder = temp.Combine("unknown-mode");
        var table = new DeltaTable(new LocalFileObjectStore(folder));

        var e = await Assert.ThrowsAsync<ArgumentException>(() => table.CreateAsync(Schema, configuration: new Dictionary<string, string> { [ColumnMapping.ModeProperty] = "position" }));

        Assert.Contains("position", e.Message, StringComparison.Ordinal);
        Assert.False(await table.ExistsAsync());
    }

    private static readonly List<object?[]> Rows1 =
    [
        [1, "a", new object?[] { 10, new object?[] { "x" } }, "east"],
        [2, "b", new object?[] { 20, new object?[] { "y", "z" } }, "east"],
        [3, "c", null, "west"],
    ];

    private static async Task<DeltaTable> CreateAsync(string folder, string mode)
    {
        var table = new DeltaTable(new LocalFileObjectStore(folder));
        await table.CreateAsync(Schema, ["region"], new Dictionary<string, string> { [ColumnMapping.ModeProperty] = mode });
        await table.WriteAsync(Schema, [Batch(Schema, Rows1)]);
        return table;
    }

    private static IEnumerable<StructField> AllFields(StructType schema) =>
        schema.Fields.SelectMany(f => f.Type is StructType s ? [f, .. AllFields(s)] : new[] { f });
}
