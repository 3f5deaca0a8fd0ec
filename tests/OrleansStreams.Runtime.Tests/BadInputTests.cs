using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>
/// Bad input on running cloudFiles streams, on the query grain and in the local runner: malformed and truncated JSON,
/// ragged CSV, empty files, bytes that are not UTF-8, files deleted after they were listed, a 100 MB line. Each gets
/// the parse mode's behaviour and a log line naming the file; committed data stays and the stream goes on (FAILFAST
/// fails the query naming the file and line).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory temp = new("bad-input");
    private readonly LogCapture logs = new();

    public void Dispose() => temp.Dispose();

    private string Input => temp.Combine("in");

    private StreamingSession Session(bool onSilo) =>
        StreamingSession.Embedded(new StreamingSessionOptions { Warehouse = temp.Combine("warehouse"), RunQueriesOnSilo = onSilo, LoggerFactory = logs });

    private string Write(string name, byte[] content)
    {
        Directory.CreateDirectory(Input);
        var path = Path.Combine(Input, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private Task<StreamingQuery> StartAsync(StreamingSession spark, string format, string schema, Trigger trigger, params (string Key, string Value)[] options)
    {
        var reader = spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", format).Schema(schema);
        foreach (var (key, value) in options)
        {
            reader.Option(key, value);
        }

        return reader.Load(Input).WriteStream().Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(trigger).ToTableAsync("items");
    }

    private static async Task<List<JsonObject>> RowsAsync(StreamingSession spark, string sql) => RowJson.Render(await spark.CollectAsync(spark.Sql(sql)!));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Permissive_keeps_malformed_records_aside_and_the_stream_goes_onAsync(bool onSilo)
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n");
        var malformed = Write("b.json", "{\"id\":3,\"name\":\"c\"}\n{\"id\":4,\"name\":\n{\"id\":5,\"name\":\"e\"}\n{\"id\":6,\"na");
        var empty = Write("c.json", []);
        var notUtf8 = Write("d.json", [.. Encoding.UTF8.GetBytes("{\"id\":7,\"name\":\""), 0xFF, .. Encoding.UTF8.GetBytes("\"}\n{\"id\":8,\"name\":\"h\"}\n")]);
        await using var spark = Session(onSilo);
        var query = await StartAsync(spark, "json", "id INT, name STRING, _corrupt_record STRING", Trigger.Manual);

        await query.ProcessAllAvailableAsync();
        Write("e.json", "{\"id\":9,\"name\":\"i\"}\n");
        await query.ProcessAllAvailableAsync();

        Assert.True(query.IsActive);
        var good = await RowsAsync(spark, "SELECT id FROM items WHERE _corrupt_record IS NULL ORDER BY id");
        Assert.Equal([1, 2, 3, 5, 8, 9], good.Select(r => r["id"]!.GetValue<int>()));
        var corrupt = await RowsAsync(spark, "SELECT id, name, _corrupt_record AS text FROM items WHERE _corrupt_record IS NOT NULL ORDER BY text");
        Assert.Equal(["{\"id\":4,\"name\":", "{\"id\":6,\"na", "{\"id\":7,\"name\":\"\uFFFD\"}"], corrupt.Select(r => r["text"]!.GetValue<string>()));
        Assert.All(corrupt, r => Assert.Null(r["id"]));
        Assert.Single(logs.Find(LogLevel.Warning, "2 malformed record(s) in " + malformed, "the first at line 2"));
        Assert.Single(logs.Find(LogLevel.Warning, "1 malformed record(s) in " + notUtf8, "not valid UTF-8"));
        Assert.Single(logs.Find(LogLevel.Information, "Skipped the empty file " + empty));
        await query.StopAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Failfast_names_the_file_and_line_and_a_restart_goes_on_once_the_file_is_goneAsync(bool onSilo)
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n");
        var bad = Write("b.json", "{\"id\":2,\"name\":\"b\"}\n{\"id\":3,\"name\"\n");
        await using var spark = Session(onSilo);

        var failed = await StartAsync(spark, "json", "id INT, name STRING", Trigger.AvailableNow, ("mode", "FAILFAST"));
        var error = await Assert.ThrowsAsync<StreamingQueryException>(() => failed.AwaitTerminationAsync());
        File.Delete(bad); // the offending file goes; the planned batch still lists it
        var restarted = await StartAsync(spark, "json", "id INT, name STRING", Trigger.AvailableNow, ("mode", "FAILFAST"));
        await restarted.AwaitTerminationAsync();

        Assert.Contains($"Malformed record in {bad} at line 2", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], (await RowsAsync(spark, "SELECT id FROM items")).Select(r => r["id"]!.GetValue<int>()));
        Assert.Single(logs.Find(LogLevel.Warning, $"Skipped {bad}: it was listed but no longer exists"));
    }

    [Fact]
    public async Task Ragged_csv_rows_are_dropped_or_go_to_bad_records_pathAsync()
    {
        Write("a.csv", "id,name\n1,a\n2\n3,c,extra\n4,d\n");
        var notUtf8 = Write("b.csv", [.. Encoding.UTF8.GetBytes("id,name\n5,"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\n6,f,g\n")]);
        var badRecords = temp.Combine("bad");
        await using var spark = Session(onSilo: false);

        var query = await StartAsync(spark, "csv", "id INT, name STRING", Trigger.AvailableNow, ("header", "true"), ("badRecordsPath", badRecords));
        await query.AwaitTerminationAsync();

        Assert.Equal(new object[][] { [1, "a"], [4, "d"], [5, "\uFFFD("] }, (await RowsAsync(spark, "SELECT id, name FROM items ORDER BY id")).Select(r => new object[] { r["id"]!.GetValue<int>(), r["name"]!.GetValue<string>() }));
        var written = Directory.GetFiles(Path.Combine(badRecords, "bad_records")).SelectMany(File.ReadAllLines).Select(l => JsonNode.Parse(l)!).OrderBy(n => n["record"]!.GetValue<string>()).ToList();
        Assert.Equal(["2", "3,c,extra", "6,f,g"], written.Select(n => n["record"]!.GetValue<string>()));
        Assert.Equal(Path.Combine(Input, "a.csv"), written[0]["path"]!.GetValue<string>());
        Assert.Equal(3, written[0]["line"]!.GetValue<long>());
        Assert.Contains("1 fields where the header has 2", written[0]["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(logs.Find(LogLevel.Warning, notUtf8, "not UTF-8", "line 2"));
        Assert.Single(logs.Find(LogLevel.Warning, "2 malformed record(s) in " + Path.Combine(Input, "a.csv"), "written to"));
    }

    [Fact]
    public async Task Dropmalformed_drops_records_of_the_wrong_shape_or_typeAsync()
    {
        Write("a.json", "{\"id\":1,\"name\":\"a\"}\n{\"id\":\"two\",\"name\":\"b\"}\n[3]\n{\"id\":4,\"name\":\"d\"}\n");
        await using var spark = Session(onSilo: false);

        var query = await StartAsync(spark, "json", "id INT, name STRING", Trigger.AvailableNow, ("mode", "DROPMALFORMED"));
        await query.AwaitTerminationAsync();

        Assert.Equal([1, 4], (await RowsAsync(spark, "SELECT id FROM items ORDER BY id")).Select(r => r["id"]!.GetValue<int>()));
        Assert.Single(logs.Find(LogLevel.Warning, "2 malformed record(s) in " + Path.Combine(Input, "a.json"), "dropped"));
    }

    [Fact]
    public async Task A_100_MB_line_is_read_as_one_record_and_the_stream_goes_onAsync()
    {
        // One JSON object whose "blob" string is 100 MB, then an ordinary line; written here, not committed.
        const int blobLength = 100 << 20;
        Directory.CreateDirectory(Input);
        using (var file = File.Create(Path.Combine(Input, "big.json")))
        {
            file.Write("{\"id\":1,\"blob\":\""u8);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < blobLength / chunk.Length; i++)
            {
                file.Write(chunk);
            }

            file.Write("\"}\n{\"id\":2,\"blob\":\"y\"}\n"u8);
        }

        await using var spark = Session(onSilo: true);
        var query = await spark.ReadStream.Format("cloudFiles").Option("cloudFiles.format", "json").Schema("id INT, blob STRING").Load(Input)
            .SelectExpr("id", "length(blob) AS blob_length")
            .WriteStream().Option("checkpointLocation", temp.Combine("checkpoint")).Trigger(Trigger.Manual).ToTableAsync("items");
        await query.ProcessAllAvailableAsync();
        Write("next.json", "{\"id\":3,\"blob\":\"zz\"}\n");
        await query.ProcessAllAvailableAsync();

        Assert.Equal(
            new int[][] { [1, blobLength], [2, 1], [3, 2] },
            (await RowsAsync(spark, "SELECT id, blob_length FROM items ORDER BY id")).Select(r => new[] { r["id"]!.GetValue<int>(), r["blob_length"]!.GetValue<int>() }));
        await query.StopAsync();
    }
}
