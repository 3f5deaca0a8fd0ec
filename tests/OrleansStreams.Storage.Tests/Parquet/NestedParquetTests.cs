using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using DuckDB.NET.Data;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Parquet;

/// <summary>
/// Struct, array and map columns, nested in each other, with NULLs at every level: written by our writer,
/// read back by our reader and by DuckDB alone.
/// </summary>
public sealed class NestedParquetTests : IDisposable
{
    private static readonly MapType Attrs = new(StringType.Instance, StringType.Instance);
    private static readonly MapType Groups = new(StringType.Instance, new ArrayType(IntegerType.Instance));
    private static readonly StructType Event = DdlParser.ParseSchema(
        "ts TIMESTAMP, day DATE, m DECIMAL(10,2), big DECIMAL(38,6), flag BOOLEAN, b BINARY, s SMALLINT, t TINYINT, f FLOAT, d DOUBLE, ntz TIMESTAMP_NTZ");

    private static readonly StructType Schema = new([
        new StructField("id", LongType.Instance, nullable: false),
        new StructField("tags", new ArrayType(StringType.Instance)),
        new StructField("point", DdlParser.ParseSchema("x INT, y DOUBLE")),
        new StructField("people", new ArrayType(DdlParser.ParseSchema("name STRING, age INT"))),
        new StructField("info", new StructType([new StructField("ids", new ArrayType(LongType.Instance)), new StructField("label", StringType.Instance)])),
        new StructField("attrs", Attrs),
        new StructField("groups", Groups),
        new StructField("matrix", new ArrayType(new ArrayType(IntegerType.Instance))),
        new StructField("strict", new ArrayType(IntegerType.Instance, ContainsNull: false), nullable: false),
        new StructField("required_struct", DdlParser.ParseSchema("k STRING NOT NULL, v INT"), nullable: false),
        new StructField("events", new ArrayType(Event)),
        new StructField("maps", new ArrayType(Attrs)),
    ]);

    private readonly TempDirectory temp = new("nested-parquet");

    public void Dispose() => temp.Dispose();

    /// <summary>Rows <paramref name="from"/>.. with each column cycling through its NULL, empty and filled shapes.</summary>
    private static RecordBatch Rows(int from, int count)
    {
        var ids = Enumerable.Range(from, count).ToList();
        object?[]? Pick(int i, params object?[]?[] shapes) => shapes[i % shapes.Length];
        var columns = new List<IArrowArray>
        {
            Columns.FromScalars(LongType.Instance, ids.Select(i => (object?)(long)i).ToList()),
            Columns.FromScalars(Schema[1].Type, ids.Select(i => (object?)Pick(i, null, [], [$"t{i}", null], [$"t{i}", "naïve-ß", ""])).ToList()),
            Columns.FromScalars(Schema[2].Type, ids.Select(i => (object?)Pick(i, null, [null, i / 2.0], [i, -1.5])).ToList()),
            Columns.FromScalars(Schema[3].Type, ids.Select(i => (object?)Pick(i, null, [], [null], [new object?[] { $"p{i}", null }, new object?[] { null, i }, null], [new object?[] { "solo", 7 }])).ToList()),
            Columns.FromScalars(Schema[4].Type, ids.Select(i => (object?)Pick(i, null, [null, $"l{i}"], [System.Array.Empty<object?>(), null], [new object?[] { (long)i, null, long.MaxValue }, "full"])).ToList()),
            NestedArrays.Map(Attrs, ids.Select(i => (i % 4) switch { 0 => null, 1 => [], 2 => new (object, object?)[] { ("a", null) }, _ => [("a", $"x{i}"), ("b", "y")] }).ToList()),
            NestedArrays.Map(Groups, ids.Select(i => (i % 3) switch { 0 => null, 1 => new (object, object?)[] { ("k", new object?[] { 1, 2 }), ("j", null), ("e", System.Array.Empty<object?>()) }, _ => [("z", new object?[] { i, null })] }).ToList()),
            Columns.FromScalars(Schema[7].Type, ids.Select(i => (object?)Pick(i, null, [], [new object?[] { 1, 2 }, System.Array.Empty<object?>(), null, new object?[] { null }], [new object?[] { i }])).ToList()),
            Columns.FromScalars(Schema[8].Type, ids.Select(i => (object?)(i % 3 == 0 ? System.Array.Empty<object?>() : [i, i + 1])).ToList()),
            Columns.FromScalars(Schema[9].Type, ids.Select(i => (object?)new object?[] { $"k{i}", i % 2 == 0 ? null : i }).ToList()),
            Columns.FromScalars(Schema[10].Type, ids.Select(i => (object?)Pick(i, [EventRow(i), null, EventRow(i + 1)], null, [], [EventRow(-i)])).ToList()),
            MapsColumn(ids),
        };
        return new RecordBatch(ArrowTypes.ToArrowSchema(Schema), columns, count);
    }

    private static object?[] EventRow(int i) => i % 7 == 3
        ? new object?[Event.Count]
        : [1_700_000_000_000_000L + (i * 1_000_001L), 19000 + i, Math.Round(i * 1.25m, 2), 123456789012345678.123456m + i, i % 2 == 0, new byte[] { (byte)i, 0, 255 }, (short)(i * 3), (sbyte)(i % 100), i / 4f, i / 3.0, 1_600_000_000_000_000L - i];

    /// <summary>An array of maps: NULL, empty, a NULL map element, maps with entries.</summary>
    private static ListArray MapsColumn(List<int> ids)
    {
        var lengths = ids.Select(i => (i % 4) switch { 0 => (int?)null, 1 => 0, 2 => 2, _ => 1 }).ToList();
        var maps = ids.SelectMany(i => (i % 4) switch
        {
            2 => new[] { null, new (object, object?)[] { ("m", $"v{i}"), ("n", null) } },
            3 => [[]],
            _ => System.Array.Empty<(object, object?)[]?>(),
        }).ToList();
        return NestedArrays.List((ArrayType)Schema[11].Type, lengths, NestedArrays.Map(Attrs, maps));
    }

    private Task<string> WriteFileAsync(string name, IReadOnlyList<RecordBatch> batches, StructType? schema = null, int rowGroupSize = 1_000_000) =>
        ParquetFiles.WriteAsync(temp.Combine(name), schema ?? Schema, batches, rowGroupSize);

    private static Task<List<RecordBatch>> ReadFileAsync(string path, StructType schema) => ParquetFiles.ReadAsync(path, schema);

    private static List<string> Json(IEnumerable<RecordBatch> batches) => RowJson.Render(batches).Select(r => r.ToJsonString()).ToList();

    /// <summary>DuckDB's rows of the files, maps as entry lists (how <see cref="RowJson"/> renders them).</summary>
    private static List<JsonNode?> DuckRows(string files, string select = "*", string orderBy = "")
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT to_json(t)::VARCHAR FROM (SELECT {select} FROM read_parquet({files}) {orderBy}) t";
        var rows = new List<JsonNode?>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }

    private const string MapsAsEntries =
        "* REPLACE (map_entries(attrs) AS attrs, map_entries(groups) AS groups, list_transform(maps, x -> map_entries(x)) AS maps)";

    [Fact]
    public async Task Every_nested_shape_round_trips_with_nulls_at_every_levelAsync()
    {
        var written = new[] { Rows(0, 40), Rows(40, 17) };

        var read = await ReadFileAsync(await WriteFileAsync("shapes.parquet", written), Schema);

        Assert.Equal(Json(written), Json(read));
    }

    [Fact]
    public async Task Row_groups_cut_through_batches_keep_each_rows_nested_valuesAsync()
    {
        // Groups of 7 rows slice the batches: every nested column is written from an Arrow slice at an offset.
        var written = new[] { Rows(0, 23), Rows(23, 10) };

        var read = await ReadFileAsync(await WriteFileAsync("sliced.parquet", written, rowGroupSize: 7), Schema);

        Assert.Equal(6, read.Count);
        Assert.Equal(Json(written), Json(read));
    }

    [Fact]
    public async Task A_row_group_of_several_batches_is_written_as_the_batches_joined_would_beAsync()
    {
        // Each nested leaf is shredded batch by batch and its values gathered from every batch (an empty batch and
        // slices at offsets too). The same rows in one batch are the reference (BatchConcat cannot join sliced nested columns).
        var joined = Rows(0, 60);
        var batches = new[] { Rows(0, 5), Rows(5, 0), joined.Slice(5, 23), joined.Slice(28, 7), Rows(35, 25) };

        foreach (var rowGroupSize in new[] { 1_000_000, 10 })
        {
            var apart = await ParquetFiles.WriteTogetherAsync(Schema, batches, rowGroupSize);
            var whole = await ParquetFiles.WriteTogetherAsync(Schema, [joined], rowGroupSize);

            Assert.True(whole.File.AsSpan().SequenceEqual(apart.File), $"row groups of {rowGroupSize}: the files differ");
            Assert.Equal(whole.Stats, apart.Stats);
        }

        var path = temp.Combine("apart.parquet");
        await File.WriteAllBytesAsync(path, (await ParquetFiles.WriteTogetherAsync(Schema, batches, 10)).File);
        Assert.Equal(Json([joined]), Json(await ReadFileAsync(path, Schema)));
    }

    [Fact]
    public async Task DuckDB_reads_nested_columns_with_the_same_valuesAsync()
    {
        var written = Rows(0, 60);
        var path = await WriteFileAsync("duck-nested.parquet", [written], rowGroupSize: 25);

        var duck = DuckRows($"'{path}'", MapsAsEntries);

        JsonRows.AssertSameRows(RowJson.Render([written]).Cast<JsonNode?>().ToList(), duck, "DuckDB reading our nested file");
    }

    [Fact]
    public async Task DuckDB_list_and_struct_accessors_see_the_same_valuesAsync()
    {
        var written = Rows(0, 12);
        var path = await WriteFileAsync("accessors.parquet", [written]);

        var duck = DuckRows($"'{path}'", "id, len(tags) AS n, tags[1] AS first_tag, point.x AS x, people[1].name AS who, info.ids[3] AS third, attrs['a'] AS a, len(matrix[1]) AS inner_len", "ORDER BY id");

        // Row 3: tags [t3, naïve-ß, ""], a NULL point, people [{p3, null}, {null, 3}, null], info {[3, null, max], full}, attrs {a: x3, b: y}, matrix [[3]].
        Assert.Equal("""{"id":3,"n":3,"first_tag":"t3","x":null,"who":"p3","third":9223372036854775807,"a":"x3","inner_len":1}""", duck[3]!.ToJsonString());
        // Row 0: NULL lists, structs and maps; row 1: empty lists, a struct with NULL x, an empty map.
        Assert.Equal("""{"id":0,"n":null,"first_tag":null,"x":null,"who":null,"third":null,"a":null,"inner_len":null}""", duck[0]!.ToJsonString());
        Assert.Equal("""{"id":1,"n":0,"first_tag":null,"x":null,"who":null,"third":null,"a":null,"inner_len":null}""", duck[1]!.ToJsonString());
    }

    [Fact]
    public async Task The_file_schema_is_Sparks_three_level_lists_and_key_value_mapsAsync()
    {
        var path = await WriteFileAsync("schema-nested.parquet", [Rows(0, 3)]);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name, repetition_type, coalesce(converted_type, '') FROM parquet_schema('{path}') WHERE name IN ('tags', 'list', 'element', 'attrs', 'key_value', 'key', 'value', 'strict', 'required_struct', 'k') ";
        var elements = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                elements.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}".TrimEnd());
            }
        }

        Assert.Equal("tags OPTIONAL LIST", elements[0]);
        Assert.Equal("list REPEATED", elements[1]);
        Assert.Equal("element OPTIONAL UTF8", elements[2]);
        Assert.Contains("attrs OPTIONAL MAP", elements);
        Assert.Contains("key_value REPEATED", elements);
        Assert.Contains("key REQUIRED UTF8", elements);
        Assert.Contains("value OPTIONAL UTF8", elements);
        Assert.Contains("strict REQUIRED LIST", elements);
        Assert.Contains("element REQUIRED", elements); // strict's INT elements: containsNull = false
        Assert.Contains("required_struct REQUIRED", elements);
        Assert.Contains("k REQUIRED UTF8", elements);
        await using var file = File.OpenRead(path);
        var schema = await ParquetBatchReader.ReadSchemaAsync(file);
        Assert.Equal(Schema.Fields.Select(f => (f.Name, f.Type.SimpleString)), schema.Fields.Select(f => (f.Name, f.Type.SimpleString)));
    }

    [Fact]
    public async Task Lists_of_many_entries_span_several_pages_cut_at_row_boundariesAsync()
    {
        // 60,000 rows of 0..4 elements (~120,000 entries per leaf): pages of about 64K entries, each ending at a row.
        var schema = new StructType([new StructField("id", IntegerType.Instance), new StructField("values", new ArrayType(new ArrayType(LongType.Instance)))]);
        const int count = 60_000;
        var lists = Enumerable.Range(0, count).Select(i => i % 9 == 4 ? null : (object?)Enumerable.Range(0, i % 5).Select(j => (object?)(j == 2 ? null : Enumerable.Range(0, j).Select(k => (object?)(long)(i + k)).ToArray())).ToArray()).ToList();
        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [Columns.FromScalars(IntegerType.Instance, Enumerable.Range(0, count).Select(i => (object?)i).ToList()), Columns.FromScalars(schema[1].Type, lists)], count);
        var path = await WriteFileAsync("pages-nested.parquet", [batch], schema);

        Assert.Equal(Json([batch]), Json(await ReadFileAsync(path, schema)));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), count(\"values\"), sum(len(\"values\")), sum(list_sum(list_transform(\"values\", x -> coalesce(list_sum(x), 0))))::BIGINT FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        reader.Read();
        var present = lists.OfType<object?[]>().ToList();
        Assert.Equal(count, reader.GetInt64(0));
        Assert.Equal(present.Count, reader.GetInt64(1));
        Assert.Equal(present.Sum(l => l.Length), reader.GetInt64(2));
        Assert.Equal(present.SelectMany(l => l.OfType<object?[]>()).SelectMany(x => x).Sum(v => (long)v!), reader.GetInt64(3));
    }

    [Fact]
    public async Task Levels_in_long_runs_and_short_runs_decode_the_same_in_both_readersAsync()
    {
        // Runs of equal levels of every length around 8 (RLE vs bit-packed, and a group filled from a run), 1000-row runs.
        var schema = new StructType([new StructField("id", IntegerType.Instance), new StructField("xs", new ArrayType(StringType.Instance))]);
        var shapes = new List<object?>();
        var run = 1;
        while (shapes.Count < 5_000)
        {
            var shape = (run % 4) switch { 0 => null, 1 => System.Array.Empty<object?>(), 2 => new object?[] { null }, _ => new object?[] { "v", "w" } };
            shapes.AddRange(Enumerable.Repeat(shape, run % 17 == 0 ? 1000 : run % 13));
            run++;
        }

        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [Columns.FromScalars(IntegerType.Instance, Enumerable.Range(0, shapes.Count).Select(i => (object?)i).ToList()), Columns.FromScalars(schema[1].Type, shapes)], shapes.Count);
        var path = await WriteFileAsync("runs.parquet", [batch], schema);

        Assert.Equal(Json([batch]), Json(await ReadFileAsync(path, schema)));
        JsonRows.AssertSameRows(RowJson.Render([batch]).Cast<JsonNode?>().ToList(), DuckRows($"'{path}'"), "DuckDB reading levels in runs");
    }

    [Fact]
    public async Task A_null_inside_a_field_declared_NOT_NULL_is_refused_by_column_nameAsync()
    {
        var schema = new StructType([new StructField("xs", new ArrayType(IntegerType.Instance, ContainsNull: false))]);
        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [Columns.FromScalars(new ArrayType(IntegerType.Instance), [new object?[] { 1, null }])], 1);
        using var buffer = new MemoryStream();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ParquetBatchWriter.WriteAsync(buffer, schema, [batch]));

        Assert.Contains("`xs`", error.Message, StringComparison.Ordinal);
        Assert.Contains("xs.list.element", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delta_stats_keep_bounds_and_null_counts_of_atomic_columns_onlyAsync()
    {
        using var buffer = new MemoryStream();

        var result = await ParquetBatchWriter.WriteAsync(buffer, Schema, [Rows(5, 10)]);
        var stats = JsonDocument.Parse(result.ToDeltaStatsJson(Schema)).RootElement;

        Assert.Equal(10, stats.GetProperty("numRecords").GetInt32());
        Assert.Equal(5, stats.GetProperty("minValues").GetProperty("id").GetInt64());
        Assert.Equal(14, stats.GetProperty("maxValues").GetProperty("id").GetInt64());
        Assert.Equal(["id"], stats.GetProperty("minValues").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["id"], stats.GetProperty("nullCount").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_partitioned_Delta_table_with_nested_columns_reads_back_here_and_in_DuckDBAsync()
    {
        var schema = new StructType([.. Schema.Fields, new StructField("part", StringType.Instance)]);
        var batches = new[] { Rows(0, 30), Rows(30, 21) }
            .Select(b => new RecordBatch(ArrowTypes.ToArrowSchema(schema), [.. Enumerable.Range(0, b.ColumnCount).Select(b.Column), Columns.FromScalars(StringType.Instance, Enumerable.Range(0, b.Length).Select(i => (object?)$"p{i % 3}").ToList())], b.Length))
            .ToList();
        var folder = temp.Combine("delta-nested");
        var table = new DeltaTable(new Storage.ObjectStore.LocalFileObjectStore(folder));

        await table.WriteAsync(schema, batches, new DeltaWriteOptions { PartitionBy = ["part"] });
        await table.WriteAsync(schema, [batches[0]]);

        var expected = RowJson.Render([.. batches, batches[0]]).Cast<JsonNode?>().ToList();
        var ours = new List<RecordBatch>();
        var snapshot = await table.GetSnapshotAsync();
        await foreach (var batch in table.ReadAsync(snapshot))
        {
            ours.Add(batch);
        }

        Assert.Equal(SchemaJson.Serialize(schema), SchemaJson.Serialize(snapshot.Schema));
        JsonRows.AssertSameRows(expected, RowJson.Render(ours).Cast<JsonNode?>().ToList(), "our reader of the Delta table");
        var duckFiles = DuckDbDelta.LiveFiles(folder).Select(f => $"'{Path.Combine(folder, f)}'");
        var duck = DuckRows($"[{string.Join(", ", duckFiles)}], hive_partitioning = true", MapsAsEntries);
        JsonRows.AssertSameRows(expected, duck, "DuckDB reading the Delta table's live files");
    }
}
