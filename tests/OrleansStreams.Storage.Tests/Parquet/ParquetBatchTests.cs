using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using DuckDB.NET.Data;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Parquet;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Parquet;

public sealed class ParquetBatchTests : IDisposable
{
    private static readonly StructType Schema = DdlParser.ParseSchema(
        "s STRING, b BINARY, flag BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INT, i64 BIGINT, f FLOAT, d DOUBLE, " +
        "m DECIMAL(12,3), big DECIMAL(38,10), day DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, id BIGINT NOT NULL");

    private readonly TempDirectory temp = new("parquet");

    public void Dispose() => temp.Dispose();

    private static RecordBatch Rows(int from, int count)
    {
        var rows = Enumerable.Range(from, count).Select(Row).ToList();
        var columns = Schema.Fields.Select((f, c) => Columns.FromScalars(f.Type, rows.Select(r => r[c]).ToList()));
        return new RecordBatch(ArrowTypes.ToArrowSchema(Schema), columns, count);
    }

    /// <summary>Every fifth row is null in every nullable column; values vary by row, including non-ASCII text.</summary>
    private static object?[] Row(int i) => i % 5 == 4
        ? [null, null, null, null, null, null, null, null, null, null, null, null, null, null, (long)i]
        :
        [
            i % 3 == 0 ? $"naïve-{i}-ß" : $"row {i}", new byte[] { (byte)i, 0, 255 }, i % 2 == 0, (sbyte)(i % 100 - 50), (short)(i * 7 - 300),
            i * 1000 - 5, (long)i * 10_000_000_000L, i / 4f, i / 3.0, Math.Round(i * 1.125m, 3), 1234567890123456.0123456789m + i,
            18000 + i, 1_657_000_000_000_000L + (i * 1_000_001L), 1_600_000_000_000_000L - i, (long)i,
        ];

    private Task<string> WriteFileAsync(string name, IReadOnlyList<RecordBatch> batches, int rowGroupSize = 1_000_000) =>
        ParquetFiles.WriteAsync(temp.Combine(name), Schema, batches, rowGroupSize);

    private static Task<List<RecordBatch>> ReadFileAsync(string path, StructType schema) => ParquetFiles.ReadAsync(path, schema);

    private static List<object?[]> Scalars(IEnumerable<RecordBatch> batches) =>
        batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(r => Enumerable.Range(0, b.ColumnCount).Select(c => Columns.GetScalar(b.Column(c), r)).ToArray())).ToList();

    [Fact]
    public async Task Every_type_round_trips_with_nulls_across_row_groupsAsync()
    {
        var written = new[] { Rows(0, 23), Rows(23, 10) };
        var path = await WriteFileAsync("all.parquet", written, rowGroupSize: 7);

        var read = await ReadFileAsync(path, Schema);

        Assert.Equal(6, read.Count); // 23 rows in groups of 7 → 4, 10 rows → 2
        Assert.Equal(Scalars(written), Scalars(read));
    }

    [Fact]
    public async Task The_file_schema_maps_back_to_Spark_typesAsync()
    {
        var path = await WriteFileAsync("schema.parquet", [Rows(0, 3)]);
        await using var file = File.OpenRead(path);

        var schema = await ParquetBatchReader.ReadSchemaAsync(file);

        Assert.Equal(Schema.Fields.Select(f => (f.Name, f.Type.SimpleString)), schema.Fields.Select(f => (f.Name, f.Type.SimpleString)));
        Assert.False(schema.Get("id").Nullable);
    }

    [Fact]
    public async Task Only_requested_columns_are_read_by_name_and_missing_ones_are_nullAsync()
    {
        var path = await WriteFileAsync("projection.parquet", [Rows(0, 4)]);
        var requested = DdlParser.ParseSchema("I64 BIGINT, added STRING, s STRING");

        var rows = Scalars(await ReadFileAsync(path, requested));

        Assert.Equal([0L, null, "naïve-0-ß"], rows[0]);
        Assert.Equal([10_000_000_000L, null, "row 1"], rows[1]);
    }

    [Fact]
    public async Task DuckDB_reads_what_we_write_with_the_same_valuesAsync()
    {
        var written = Rows(0, 40);
        var path = await WriteFileAsync("duck.parquet", [written]);

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT to_json(t)::VARCHAR FROM read_parquet('{path}') t";
        var duck = new List<JsonNode?>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                duck.Add(JsonNode.Parse(reader.GetString(0)));
            }
        }

        JsonRows.AssertSameRows(RowJson.Render([written]).Cast<JsonNode?>().ToList(), duck, "DuckDB reading our file");
    }

    [Fact]
    public async Task Columns_of_several_pages_round_trip_and_DuckDB_sums_them_the_sameAsync()
    {
        // 150,001 rows: three data pages per column chunk, a row group boundary at a row that is not a multiple of 8.
        var schema = DdlParser.ParseSchema("n BIGINT, s STRING");
        const int count = 150_001;
        var numbers = Enumerable.Range(0, count).Select(i => i % 7 == 3 ? null : (object?)(long)i).ToList();
        var texts = Enumerable.Range(0, count).Select(i => i % 11 == 5 ? null : (object?)$"v{i}").ToList();
        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [Columns.FromScalars(LongType.Instance, numbers), Columns.FromScalars(StringType.Instance, texts)], count);
        var path = temp.Combine("pages.parquet");
        await using (var file = File.Create(path))
        {
            await ParquetBatchWriter.WriteAsync(file, schema, [batch], new ParquetWriteOptions { RowGroupSize = 100_003 });
        }

        Assert.Equal(Scalars([batch]).Select(r => r[0]), Scalars(await ReadFileAsync(path, schema)).Select(r => r[0]));
        Assert.Equal(Scalars([batch]).Select(r => r[1]), Scalars(await ReadFileAsync(path, schema)).Select(r => r[1]));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sum(n)::BIGINT, count(n), count(s), max(length(s)), min(n), max(n) FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        reader.Read();
        var present = numbers.OfType<long>().ToList();
        Assert.Equal(present.Sum(), reader.GetInt64(0));
        Assert.Equal(present.Count, reader.GetInt64(1));
        Assert.Equal(texts.Count(t => t is not null), reader.GetInt64(2));
        Assert.Equal(texts.OfType<string>().Max(t => t.Length), reader.GetInt64(3));
        Assert.Equal(present.Min(), reader.GetInt64(4));
        Assert.Equal(present.Max(), reader.GetInt64(5));
    }

    [Fact]
    public async Task We_read_what_DuckDB_writesAsync()
    {
        var path = temp.Combine("from-duck.parquet");
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SET TimeZone = 'UTC';
                COPY (SELECT i::INTEGER AS i, 'v' || i AS s, CASE WHEN i % 3 = 0 THEN NULL ELSE i * 1.5 END::DOUBLE AS d,
                             (i * 2.25)::DECIMAL(10,2) AS m, DATE '2024-01-01' + i::INTEGER AS day,
                             TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS ts, i % 2 = 0 AS even
                      FROM range(0, 1000) r(i)) TO '{path}' (FORMAT parquet)
                """;
            command.ExecuteNonQuery();
        }

        var schema = DdlParser.ParseSchema("i INT, s STRING, d DOUBLE, m DECIMAL(10,2), day DATE, ts TIMESTAMP, even BOOLEAN");
        var rows = Scalars(await ReadFileAsync(path, schema));

        Assert.Equal(1000, rows.Count);
        Assert.Equal([7, "v7", 10.5, 15.75m, 19723 + 7, 1_704_067_200_000_000L + 7_000_000L, false], rows[7]);
        Assert.Null(rows[9][2]);
    }

    [Fact]
    public async Task Statistics_become_Delta_stats_jsonAsync()
    {
        var schema = DdlParser.ParseSchema("n INT, s STRING, ts TIMESTAMP, day DATE, long_text STRING");
        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [
            Columns.FromScalars(IntegerType.Instance, [3, null, -2]),
            Columns.FromScalars(StringType.Instance, ["b", "a", null]),
            Columns.FromScalars(TimestampType.Instance, [1_000_500L, 2_000L, null]),
            Columns.FromScalars(DateType.Instance, [0, 1, 2]),
            Columns.FromScalars(StringType.Instance, [new string('x', 40), null, null]),
        ], 3);
        using var buffer = new MemoryStream();

        var result = await ParquetBatchWriter.WriteAsync(buffer, schema, [batch]);
        var stats = JsonDocument.Parse(result.ToDeltaStatsJson(schema)).RootElement;

        Assert.Equal(3, stats.GetProperty("numRecords").GetInt32());
        Assert.Equal(-2, stats.GetProperty("minValues").GetProperty("n").GetInt32());
        Assert.Equal(3, stats.GetProperty("maxValues").GetProperty("n").GetInt32());
        Assert.Equal("a", stats.GetProperty("minValues").GetProperty("s").GetString());
        Assert.Equal("1970-01-01T00:00:00.002Z", stats.GetProperty("minValues").GetProperty("ts").GetString());
        Assert.Equal("1970-01-01T00:00:01.001Z", stats.GetProperty("maxValues").GetProperty("ts").GetString()); // rounded up: an upper bound
        Assert.Equal("1970-01-03", stats.GetProperty("maxValues").GetProperty("day").GetString());
        Assert.Equal(new string('x', 32), stats.GetProperty("minValues").GetProperty("long_text").GetString());
        Assert.False(stats.GetProperty("maxValues").TryGetProperty("long_text", out _));
        Assert.Equal(1, stats.GetProperty("nullCount").GetProperty("n").GetInt32());
        Assert.Equal(2, stats.GetProperty("nullCount").GetProperty("long_text").GetInt32());
    }

    [Fact]
    public async Task A_row_group_of_several_batches_is_written_as_the_batches_joined_would_beAsync()
    {
        // Batches without nulls next to ones with, ends off the validity bytes' 8-row boundaries, an empty batch, a
        // sliced one, and pages of 64 Ki rows that span batches; then row groups that end inside batches.
        var batches = new[]
        {
            Rows(0, 4), Rows(4, 7), Rows(11, 0), Rows(11, 70_001), Rows(70_015, 4), Rows(70_019, 60_000), Rows(200_000, 1_000).Slice(3, 997),
        };
        var joined = BatchConcat.Concat(Schema, batches);

        foreach (var rowGroupSize in new[] { 1_000_000, 50_000, 5 })
        {
            var apart = await ParquetFiles.WriteTogetherAsync(Schema, batches, rowGroupSize);
            var whole = await ParquetFiles.WriteTogetherAsync(Schema, [joined], rowGroupSize);

            Assert.True(whole.File.AsSpan().SequenceEqual(apart.File), $"row groups of {rowGroupSize}: the files differ");
            Assert.Equal(whole.Stats, apart.Stats);
        }

        var path = temp.Combine("apart.parquet");
        await File.WriteAllBytesAsync(path, (await ParquetFiles.WriteTogetherAsync(Schema, batches, 50_000)).File);
        Assert.Equal(Scalars(batches), Scalars(await ReadFileAsync(path, Schema)));
    }

    [Fact]
    public async Task Statistics_over_several_batches_keep_their_boundsAsync()
    {
        var schema = DdlParser.ParseSchema("s STRING, d DOUBLE, f FLOAT, nan DOUBLE, t TINYINT, m DECIMAL(10,2), none STRING, z DOUBLE, long_max STRING");
        RecordBatch Batch(params object?[][] columns) => new(
            ArrowTypes.ToArrowSchema(schema),
            schema.Fields.Select((f, c) => Columns.FromScalars(f.Type, columns[c].ToList())),
            columns[0].Length);
        var first = Batch(
            ["m", null, "zz", "\uFF5E"], [1.5, null, -2.25, 0.0], [0.5f, -1.5f, null, 0f], [1.0, double.NaN, null, 2.0], [(sbyte)-128, (sbyte)5, null, (sbyte)0],
            [1.25m, -3.50m, null, 0m], [null, null, null, null], [0.0, -0.0, 0.0, null], ["b", null, "a", "c"]);
        var second = Batch(
            ["", "\U0001F600", null, "ä"], [10.0, null, 3.0, 10.0], [2.5f, null, null, 2.5f], [null, 0.5, 3.0, null], [(sbyte)127, null, (sbyte)0, (sbyte)1],
            [null, 99.99m, 0m, -3.5m], [null, null, null, null], [-0.0, null, null, null], [new string('é', 40), null, "a", "b"]);

        var stats = JsonDocument.Parse((await ParquetFiles.WriteTogetherAsync(schema, [first, second], 1_000_000)).Stats).RootElement;
        var (min, max, nulls) = (stats.GetProperty("minValues"), stats.GetProperty("maxValues"), stats.GetProperty("nullCount"));

        // Strings compare as UTF-8 bytes: U+1F600 (F0 9F …) is above U+FF5E (EF BD …), though below it in UTF-16.
        Assert.Equal("", min.GetProperty("s").GetString());
        Assert.Equal("\U0001F600", max.GetProperty("s").GetString());
        Assert.Equal(-2.25, min.GetProperty("d").GetDouble());
        Assert.Equal(10.0, max.GetProperty("d").GetDouble());
        Assert.Equal(-1.5, min.GetProperty("f").GetDouble());
        Assert.Equal(2.5, max.GetProperty("f").GetDouble());
        Assert.False(min.TryGetProperty("nan", out _)); // a NaN leaves no exact bounds
        Assert.False(max.TryGetProperty("nan", out _));
        Assert.Equal(-128, min.GetProperty("t").GetInt32());
        Assert.Equal(127, max.GetProperty("t").GetInt32());
        Assert.Equal(-3.50m, min.GetProperty("m").GetDecimal());
        Assert.Equal(99.99m, max.GetProperty("m").GetDecimal());
        Assert.False(min.TryGetProperty("none", out _));
        Assert.Equal("0", min.GetProperty("z").GetRawText()); // the first of 0.0 and -0.0 stays
        Assert.Equal("0", max.GetProperty("z").GetRawText());
        Assert.Equal("a", min.GetProperty("long_max").GetString());
        Assert.False(max.TryGetProperty("long_max", out _)); // longer than 32 characters: no max
        Assert.Equal([2, 2, 3, 3, 2, 2, 8, 4, 2], schema.Fields.Select(f => nulls.GetProperty(f.Name).GetInt32()));
    }

    [Fact]
    public async Task A_null_in_a_NOT_NULL_column_is_refused_by_nameAsync()
    {
        var schema = DdlParser.ParseSchema("id BIGINT NOT NULL");
        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [Columns.FromScalars(LongType.Instance, [1L, null])], 2);
        using var buffer = new MemoryStream();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ParquetBatchWriter.WriteAsync(buffer, schema, [batch]));

        Assert.Contains("`id`", error.Message, StringComparison.Ordinal);
    }
}
