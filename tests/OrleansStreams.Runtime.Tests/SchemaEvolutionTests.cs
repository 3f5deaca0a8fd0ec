using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>Auto Loader's schema inference under cloudFiles.schemaLocation and each schemaEvolutionMode, on running streams.</summary>
public sealed class SchemaEvolutionTests : IDisposable
{
    private readonly TempDirectory temp = new("schema");
    private readonly LogCapture logs = new();

    public void Dispose() => temp.Dispose();

    private string Input => temp.Combine("in");

    private string SchemaLocation => temp.Combine("checkpoint");

    private StreamingSession Session(bool onSilo = false) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo, LoggerFactory = logs });

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(Input);
        File.WriteAllText(Path.Combine(Input, name), text);
    }

    private Engine.DataFrames.DataFrame Load(StreamingSession spark, params (string Key, string Value)[] options)
    {
        var reader = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.schemaLocation", SchemaLocation);
        foreach (var (key, value) in options)
        {
            reader.Option(key, value);
        }

        return reader.Load(Input);
    }

    private Task<StreamingQuery> StartAsync(Engine.DataFrames.DataFrame frame, Trigger trigger, bool restartOnSchemaChange = false) =>
        frame.WriteStream()
            .Option("checkpointLocation", SchemaLocation)
            .Option("mergeSchema", true)
            .Trigger(trigger)
            .RestartOnSchemaChange(restartOnSchemaChange)
            .ToTableAsync("items");

    private static async Task<List<JsonObject>> RowsAsync(StreamingSession spark, string columns) =>
        RowJson.Render(await spark.CollectAsync(spark.Sql($"SELECT {columns} FROM items ORDER BY id")!));

    private bool HasSchemaVersion(int version) => File.Exists(Path.Combine(SchemaLocation, "_schemas", version.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    [Fact]
    public async Task Inference_writes_version_0_with_strings_hints_and_rescued_dataAsync()
    {
        Write("a.json", "{\"name\":\"Dune\",\"id\":1,\"price\":9.5,\"meta\":{\"lang\":\"en\"}}\n{\"name\":\"Emma\",\"id\":\"two\",\"price\":7}\n");
        await using var spark = Session();

        var frame = Load(spark, ("cloudFiles.schemaHints", "id INT"));
        var schema = frame.Schema;
        var query = await StartAsync(frame, Trigger.AvailableNow);
        await query.AwaitTerminationAsync();

        Assert.Equal(DdlParser.ParseSchema("id INT, meta STRING, name STRING, price STRING, _rescued_data STRING"), schema);
        Assert.StartsWith("v1\n", await File.ReadAllTextAsync(Path.Combine(SchemaLocation, "_schemas", "0")), StringComparison.Ordinal);
        var rows = await RowsAsync(spark, "id, meta, name, price, _rescued_data");
        Assert.True(JsonNode.DeepEquals(Json("""{"id":1,"meta":"{\"lang\":\"en\"}","name":"Dune","price":"9.5","_rescued_data":null}"""), rows[1]));
        Assert.True(JsonNode.DeepEquals(Json($$"""{"id":"two","_file_path":"{{Path.Combine(Input, "a.json")}}"}"""), Json(rows[0]["_rescued_data"]!.GetValue<string>())));
        Assert.Null(rows[0]["id"]);
    }

    [Fact]
    public async Task Column_types_are_inferred_when_askedAsync()
    {
        Write("a.json", "{\"id\":1,\"price\":9.5,\"ok\":true,\"tags\":[\"x\"],\"meta\":{\"lang\":\"en\"}}\n");
        await using var spark = Session();

        var schema = Load(spark, ("cloudFiles.inferColumnTypes", "true"), ("cloudFiles.schemaEvolutionMode", "none")).Schema;

        Assert.Equal(DdlParser.ParseSchema("id BIGINT, meta STRUCT<lang: STRING>, ok BOOLEAN, price DOUBLE, tags ARRAY<STRING>"), schema);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Add_new_columns_records_the_wider_schema_stops_and_a_restart_goes_onAsync(bool onSilo)
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n");
        await using var spark = Session(onSilo);
        await (await StartAsync(Load(spark), Trigger.AvailableNow)).AwaitTerminationAsync();

        Write("b.json", "{\"id\":2,\"name\":\"b\",\"color\":\"red\"}\n");
        var stopped = await StartAsync(Load(spark), Trigger.AvailableNow);
        var error = await Assert.ThrowsAsync<StreamingQueryException>(() => stopped.AwaitTerminationAsync());
        var afterStop = await RowsAsync(spark, "id, name");

        await (await StartAsync(Load(spark), Trigger.AvailableNow)).AwaitTerminationAsync();

        Assert.Contains("Encountered unknown fields during parsing: `color`", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Input, "b.json"), error.Message, StringComparison.Ordinal);
        Assert.True(HasSchemaVersion(1));
        Assert.Single(afterStop); // the committed batch is intact; the stopped one wrote nothing
        var expected = new List<JsonNode?> { Json("""{"id":"1","name":"a","color":null}"""), Json("""{"id":"2","name":"b","color":"red"}""") };
        JsonRows.AssertSameRows(expected, (await RowsAsync(spark, "CAST(id AS BIGINT) AS id, name, color")).Cast<JsonNode?>().ToList(), "rows after the restart");
        JsonRows.AssertSameRows(
            expected,
            DuckDbDelta.ReadRows(temp.Combine("warehouse", "items")).Select(r => (JsonNode?)new JsonObject { ["id"] = r!["id"]!.GetValue<string>(), ["name"] = r["name"]!.DeepClone(), ["color"] = r["color"]?.DeepClone() }).ToList(),
            "DuckDB's rows");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restart_on_schema_change_goes_on_by_itselfAsync(bool onSilo)
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n");
        await using var spark = Session(onSilo);
        var query = await StartAsync(Load(spark), Trigger.Manual, restartOnSchemaChange: true);
        await query.ProcessAllAvailableAsync();

        Write("b.json", "{\"id\":2,\"name\":\"b\",\"color\":\"red\",\"size\":3}\n");
        await query.ProcessAllAvailableAsync();
        Write("c.json", "{\"id\":3,\"name\":\"c\",\"color\":\"blue\"}\n");
        await query.ProcessAllAvailableAsync();

        Assert.True(query.IsActive);
        Assert.True(HasSchemaVersion(1));
        Assert.False(HasSchemaVersion(2)); // both new columns came in one version
        var rows = (await RowsAsync(spark, "name, color, size")).Cast<JsonNode?>().ToList();
        JsonRows.AssertSameRows(
            [Json("""{"name":"a","color":null,"size":null}"""), Json("""{"name":"b","color":"red","size":"3"}"""), Json("""{"name":"c","color":"blue","size":null}""")],
            rows,
            "rows across the schema change");
        await query.StopAsync();
    }

    [Fact]
    public async Task Rescue_mode_never_evolves_and_keeps_new_columns_in_rescued_dataAsync()
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n");
        await using var spark = Session();
        var query = await StartAsync(Load(spark, ("cloudFiles.schemaEvolutionMode", "rescue")), Trigger.Manual);
        await query.ProcessAllAvailableAsync();

        Write("b.json", "{\"id\":2,\"name\":\"b\",\"color\":\"red\"}\n");
        await query.ProcessAllAvailableAsync();

        Assert.False(HasSchemaVersion(1));
        var rows = await RowsAsync(spark, "id, name, _rescued_data");
        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0]["_rescued_data"]);
        Assert.True(JsonNode.DeepEquals(Json($$"""{"color":"red","_file_path":"{{Path.Combine(Input, "b.json")}}"}"""), Json(rows[1]["_rescued_data"]!.GetValue<string>())));
        Assert.NotEmpty(logs.Find(Microsoft.Extensions.Logging.LogLevel.Information, Path.Combine(Input, "b.json"), "_rescued_data"));
        await query.StopAsync();
    }

    [Fact]
    public async Task Fail_on_new_columns_stops_the_stream_and_keeps_the_schemaAsync()
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n");
        await using var spark = Session();
        var query = await StartAsync(Load(spark, ("cloudFiles.schemaEvolutionMode", "failOnNewColumns")), Trigger.Manual);
        await query.ProcessAllAvailableAsync();

        Write("b.json", "{\"id\":2,\"name\":\"b\",\"color\":\"red\"}\n");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => query.ProcessAllAvailableAsync());
        await query.StopAsync();
        var again = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            // The planned batch runs again as the query starts, and meets the same column.
            var restarted = await StartAsync(Load(spark, ("cloudFiles.schemaEvolutionMode", "failOnNewColumns")), Trigger.AvailableNow, restartOnSchemaChange: true);
            await restarted.AwaitTerminationAsync();
        });

        Assert.Contains("`color`", error.Message, StringComparison.Ordinal);
        Assert.Contains("failOnNewColumns", error.Message, StringComparison.Ordinal);
        Assert.Contains("`color`", again.Message, StringComparison.Ordinal); // no evolution, so no automatic restart either
        Assert.False(HasSchemaVersion(1));
        Assert.Single(await RowsAsync(spark, "id"));
    }

    [Fact]
    public async Task None_mode_ignores_new_columnsAsync()
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n");
        await using var spark = Session();
        var frame = Load(spark, ("cloudFiles.schemaEvolutionMode", "none"));
        var query = await StartAsync(frame, Trigger.Manual);
        await query.ProcessAllAvailableAsync();

        Write("b.json", "{\"id\":2,\"name\":\"b\",\"color\":\"red\"}\n");
        await query.ProcessAllAvailableAsync();

        Assert.Equal(DdlParser.ParseSchema("id STRING, name STRING"), frame.Schema); // no rescued data column in this mode
        Assert.False(HasSchemaVersion(1));
        JsonRows.AssertSameRows([Json("""{"id":"1","name":"a"}"""), Json("""{"id":"2","name":"b"}""")], (await RowsAsync(spark, "*")).Cast<JsonNode?>().ToList(), "rows");
        await query.StopAsync();
    }

    [Fact]
    public async Task Schema_options_are_checked_with_clear_errorsAsync()
    {
        await using var spark = Session();
        Directory.CreateDirectory(Input);

        var noLocation = Assert.Throws<ArgumentException>(() => spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Load(Input).Schema);
        var empty = Assert.Throws<InvalidOperationException>(() => Load(spark).Schema);
        var given = Assert.Throws<ArgumentException>(() =>
            spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Option("cloudFiles.schemaEvolutionMode", "addNewColumns").Schema("id INT").Load(Input).Schema);
        var mode = Assert.Throws<ArgumentException>(() => Load(spark, ("cloudFiles.schemaEvolutionMode", "merge")).Schema);
        var hint = Assert.Throws<ArgumentException>(() =>
        {
            Write("a.json", "{\"id\":1}\n");
            return Load(spark, ("cloudFiles.schemaHints", "id INTEGR")).Schema;
        });

        Assert.Contains("cloudFiles.schemaLocation", noLocation.Message, StringComparison.Ordinal);
        Assert.Contains("has no data files yet", empty.Message, StringComparison.Ordinal);
        Assert.Contains("addNewColumns needs an inferred schema", given.Message, StringComparison.Ordinal);
        Assert.Contains("cloudFiles.schemaEvolutionMode", mode.Message, StringComparison.Ordinal);
        Assert.Contains("cloudFiles.schemaHints", hint.Message, StringComparison.Ordinal);
    }
}
