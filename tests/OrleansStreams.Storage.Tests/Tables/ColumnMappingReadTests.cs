using System.Text.Json.Nodes;
using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Parquet;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;
using static OrleansStreams.Storage.Tests.Tables.TableTestData;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>
/// Tables with column mapping: files, partition values and stats use physical names (or field ids)
/// while batches carry the logical names; renamed and dropped columns read as the current schema says.
/// </summary>
public sealed class ColumnMappingReadTests : IDisposable
{
    // What the data files hold: physical names only.
    private static readonly StructType Physical = DdlParser.ParseSchema("`col-1` INT, `col-2` STRING, `col-3` LONG, `col-4` STRUCT<`col-5`: INT, `col-6`: STRING>");

    private readonly TempDirectory temp = new("column-mapping");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Renamed_and_dropped_columns_read_through_their_physical_namesAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(await HandWrittenTableAsync()));

        // Version 0: the names the files were written under.
        var before = RowJson.Render(await ReadBatchesAsync(table, 0));
        JsonRows.AssertSameRows(
            Expected("""
                [{"id":1,"name":"a","extra":"10","s":{"inner":5,"tag":"x"},"region":"east"},
                 {"id":2,"name":"b","extra":"20","s":{"inner":6,"tag":"y"},"region":"east"},
                 {"id":3,"name":"c","extra":"30","s":{"inner":7,"tag":"z"},"region":"west"}]
                """),
            before.Cast<JsonNode?>().ToList(),
            "version 0");

        // Version 1: name → label, s.tag → s.label, region → area (a partition column), extra dropped.
        var after = await ReadBatchesAsync(table, 1);
        Assert.Equal(["id", "label", "s", "area"], after[0].Schema.FieldsList.Select(f => f.Name));
        JsonRows.AssertSameRows(
            Expected("""
                [{"id":1,"label":"a","s":{"inner":5,"label":"x"},"area":"east"},
                 {"id":2,"label":"b","s":{"inner":6,"label":"y"},"area":"east"},
                 {"id":3,"label":"c","s":{"inner":7,"label":"z"},"area":"west"}]
                """),
            RowJson.Render(after).Cast<JsonNode?>().ToList(),
            "version 1");
    }

    [Fact]
    public async Task Filters_on_mapped_columns_skip_by_physical_stats_and_prune_by_physical_partition_valuesAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(await HandWrittenTableAsync()));
        var source = new DeltaBatchSource(table, await table.GetSnapshotAsync());

        var byStats = await ScanAsync(source, ["id", "label"], "id > 2");
        var statsFiles = source.LastScanFileCount;
        var byPartition = await ScanAsync(source, ["id", "area"], "area = 'east'");
        var partitionFiles = source.LastScanFileCount;

        Assert.Equal(1, statsFiles);
        Assert.Equal(["3|c"], Canonical(byStats));
        Assert.Equal(1, partitionFiles);
        Assert.Equal(["1|east", "2|east"], Canonical(byPartition));
    }

    [Fact]
    public async Task Spark_name_mode_table_skips_files_by_stats_keyed_by_physical_namesAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(Path.Combine(TestData.DeltaTables, "table-with-columnmapping-mode-name")));
        var source = new DeltaBatchSource(table, await table.GetSnapshotAsync());

        var rows = await ScanAsync(source, ["IntegerType", "StringType"], "IntegerType = 0");

        Assert.Equal(2, source.Snapshot.ActiveFiles.Count);
        Assert.Equal(1, source.LastScanFileCount);
        Assert.Contains("0|0", Canonical(rows));
    }

    [Fact]
    public async Task Spark_name_mode_partition_column_filters_on_its_physical_partition_valuesAsync()
    {
        var table = new DeltaTable(new LocalFileObjectStore(Path.Combine(TestData.DeltaTables, "data-reader-timestamp_ntz-name-mode")));
        var source = new DeltaBatchSource(table, await table.GetSnapshotAsync());

        var rows = await ScanAsync(source, ["id", "tsNtzPartition"], "tsNtzPartition IS NULL");

        Assert.Equal(4, source.Snapshot.ActiveFiles.Count);
        Assert.Equal(1, source.LastScanFileCount);
        Assert.Equal(["6|∅", "7|∅", "8|∅"], Canonical(rows));
    }

    [Fact]
    public async Task Id_mode_matches_data_file_columns_by_field_id_not_by_physical_nameAsync()
    {
        // Give every column a physical name no file has: in id mode only the field ids may find them.
        var folder = temp.Combine("id-mode");
        TestData.CopyDeltaTable("table-with-columnmapping-mode-id", folder);
        var commit = Path.Combine(folder, "_delta_log", "00000000000000000000.json");
        File.WriteAllText(commit, File.ReadAllText(commit).Replace("col-", "renamed-col-", StringComparison.Ordinal));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.DeltaTables, "table-with-columnmapping-mode-id", "expected.json")))!;
        var table = new DeltaTable(new LocalFileObjectStore(folder));

        var rows = RowJson.Render(await ReadBatchesAsync(table, null)).Cast<JsonNode?>().ToList();

        JsonRows.AssertSameRows(expected["rows"]!.AsArray().ToList(), rows, "id mode");
    }

    /// <summary>
    /// Two files written under physical names (one per partition), then a metadata change that renames
    /// columns (top-level, nested and the partition column) and drops one, as Delta's RENAME/DROP COLUMN do.
    /// </summary>
    private async Task<string> HandWrittenTableAsync()
    {
        var folder = temp.Combine($"t{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "_delta_log"));
        var east = await WriteFileAsync(folder, "east.parquet", [[1, "a", 10L, new object?[] { 5, "x" }], [2, "b", 20L, new object?[] { 6, "y" }]]);
        var west = await WriteFileAsync(folder, "west.parquet", [[3, "c", 30L, new object?[] { 7, "z" }]]);

        var v0 = Schema(
            Field("id", "\"integer\"", 1, "col-1"),
            Field("name", "\"string\"", 2, "col-2"),
            Field("extra", "\"long\"", 3, "col-3"),
            Field("s", Struct(Field("inner", "\"integer\"", 5, "col-5"), Field("tag", "\"string\"", 6, "col-6")), 4, "col-4"),
            Field("region", "\"string\"", 7, "col-p"));
        var v1 = Schema(
            Field("id", "\"integer\"", 1, "col-1"),
            Field("label", "\"string\"", 2, "col-2"),
            Field("s", Struct(Field("inner", "\"integer\"", 5, "col-5"), Field("label", "\"string\"", 6, "col-6")), 4, "col-4"),
            Field("area", "\"string\"", 7, "col-p"));
        File.WriteAllLines(Path.Combine(folder, "_delta_log", "00000000000000000000.json"), [
            """{"protocol":{"minReaderVersion":2,"minWriterVersion":5}}""",
            Metadata(v0, "region"),
            Add("east.parquet", east, "east", """{"numRecords":2,"minValues":{"col-1":1,"col-2":"a"},"maxValues":{"col-1":2,"col-2":"b"},"nullCount":{"col-1":0}}"""),
            Add("west.parquet", west, "west", """{"numRecords":1,"minValues":{"col-1":3,"col-2":"c"},"maxValues":{"col-1":3,"col-2":"c"},"nullCount":{"col-1":0}}"""),
        ]);
        File.WriteAllLines(Path.Combine(folder, "_delta_log", "00000000000000000001.json"), [Metadata(v1, "area")]);
        return folder;
    }

    private static async Task<long> WriteFileAsync(string folder, string name, IReadOnlyList<object?[]> rows)
    {
        await using var stream = File.Create(Path.Combine(folder, name));
        await ParquetBatchWriter.WriteAsync(stream, Physical, [Batch(Physical, rows)]);
        return stream.Length;
    }

    private static string Field(string name, string type, int id, string physical) =>
        $$$"""{"name":"{{{name}}}","type":{{{type}}},"nullable":true,"metadata":{"delta.columnMapping.id":{{{id}}},"delta.columnMapping.physicalName":"{{{physical}}}"}}""";

    private static string Struct(params string[] fields) => $$$"""{"type":"struct","fields":[{{{string.Join(",", fields)}}}]}""";

    private static string Schema(params string[] fields) => Struct(fields);

    private static string Metadata(string schema, string partitionColumn) =>
        new JsonObject
        {
            ["metaData"] = new JsonObject
            {
                ["id"] = "cm",
                ["format"] = new JsonObject { ["provider"] = "parquet", ["options"] = new JsonObject() },
                ["schemaString"] = schema,
                ["partitionColumns"] = new JsonArray(partitionColumn),
                ["configuration"] = new JsonObject { ["delta.columnMapping.mode"] = "name", ["delta.columnMapping.maxColumnId"] = "7" },
            },
        }.ToJsonString();

    private static string Add(string path, long size, string partition, string stats) =>
        new JsonObject
        {
            ["add"] = new JsonObject
            {
                ["path"] = path,
                ["partitionValues"] = new JsonObject { ["col-p"] = partition },
                ["size"] = size,
                ["modificationTime"] = 0,
                ["dataChange"] = true,
                ["stats"] = stats,
            },
        }.ToJsonString();

    private static List<JsonNode?> Expected(string json) => JsonNode.Parse(json)!.AsArray().ToList();

    private static async Task<List<RecordBatch>> ReadBatchesAsync(DeltaTable table, long? version)
    {
        var batches = new List<RecordBatch>();
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync(version)))
        {
            batches.Add(batch);
        }

        return batches;
    }

    private static async Task<List<object?[]>> ScanAsync(DeltaBatchSource source, IReadOnlyList<string> columns, string filter)
    {
        var rows = new List<object?[]>();
        var parsed = Engine.Sql.SqlParser.ParseExpression(filter);
        await foreach (var batch in source.ScanAsync(new ScanRequest(columns, [parsed])))
        {
            // The rows of every file the scan opened (the query filters them again).
            rows.AddRange(Rows(batch));
        }

        return rows;
    }
}
