using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using DuckDB.NET.Data;
using OrleansStreams.Engine.Batches;
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
    public async Task A_null_in_a_NOT_NULL_column_is_refused_by_nameAsync()
    {
        var schema = DdlParser.ParseSchema("id BIGINT NOT NULL");
        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [Columns.FromScalars(LongType.Instance, [1L, null])], 2);
        using var buffer = new MemoryStream();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ParquetBatchWriter.WriteAsync(buffer, schema, [batch]));

        Assert.Contains("`id`", error.Message, StringComparison.Ordinal);
    }
}
