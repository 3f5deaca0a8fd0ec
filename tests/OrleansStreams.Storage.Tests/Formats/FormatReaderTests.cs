using System.Text;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Formats;

namespace OrleansStreams.Storage.Tests.Formats;

public class FormatReaderTests
{
    private static readonly StructType KafkaRaw = DdlParser.ParseSchema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG");

    private static async Task<List<RecordBatch>> ReadAsync(string format, string text, StructType schema, FileFormatOptions? options = null)
    {
        var reader = FileFormats.Create(format, options ?? new FileFormatOptions());
        var batches = new List<RecordBatch>();
        await foreach (var batch in reader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), schema, "/in/file.txt"))
        {
            batches.Add(batch);
        }

        return batches;
    }

    private static List<object?[]> Rows(IEnumerable<RecordBatch> batches) =>
        batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(r => Enumerable.Range(0, b.ColumnCount).Select(c => Columns.GetScalar(b.Column(c), r)).ToArray())).ToList();

    [Fact]
    public async Task Kafka_raw_json_lines_decode_base64_binary_and_longsAsync()
    {
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("B07"));
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"book_id\":\"B07\"}"));
        var text = $"{{\"key\":\"{key}\",\"value\":\"{value}\",\"topic\":\"books\",\"partition\":0,\"offset\":12,\"timestamp\":1657000000000}}\n";

        var rows = Rows(await ReadAsync("json", text, KafkaRaw));

        Assert.Equal([Encoding.UTF8.GetBytes("B07"), Encoding.UTF8.GetBytes("{\"book_id\":\"B07\"}"), "books", 0L, 12L, 1_657_000_000_000L], rows.Single());
    }

    [Fact]
    public async Task Every_type_nulls_missing_and_unknown_fields_from_jsonAsync()
    {
        var schema = DdlParser.ParseSchema("s STRING, n INT, big LONG, f DOUBLE, ok BOOLEAN, d DATE, t TIMESTAMP, m DECIMAL(10,2), tags ARRAY<STRING>, inner STRUCT<a: INT>, raw STRING");
        var text = "\uFEFF{\"s\":\"caf\\u00e9\",\"n\":1,\"big\":9007199254740993,\"f\":1.5,\"ok\":true,\"d\":\"2022-07-05\",\"t\":\"2022-07-05T05:46:40Z\",\"m\":12.34,\"tags\":[\"a\",\"b\"],\"inner\":{\"a\":7},\"raw\":{\"x\":[1,2]},\"extra\":1}\r\n" +
                   "\r\n" +
                   "{\"s\":null,\"f\":\"NaN\"}\n";

        var rows = Rows(await ReadAsync("json", text, schema));

        Assert.Equal(["café", 1, 9007199254740993L, 1.5, true, 19178, 1_657_000_000_000_000L, 12.34m, new object?[] { "a", "b" }, new object?[] { 7 }, "{\"x\":[1,2]}"], rows[0]);
        Assert.Equal([null, null, null, double.NaN, null, null, null, null, null, null, null], rows[1]);
    }

    [Fact]
    public async Task Malformed_lines_follow_the_modeAsync()
    {
        var schema = DdlParser.ParseSchema("id INT, name STRING, _corrupt_record STRING");
        var text = "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\n{\"id\":\"three\",\"name\":\"c\"}\n{\"id\":4}\n";

        var permissive = Rows(await ReadAsync("json", text, schema));
        var dropped = Rows(await ReadAsync("json", text, schema, new FileFormatOptions { Mode = ParseMode.DropMalformed }));
        var failFast = await Assert.ThrowsAsync<MalformedRecordException>(() => ReadAsync("json", text, schema, new FileFormatOptions { Mode = ParseMode.FailFast }));

        Assert.Equal([[1, "a", null], [null, null, "{\"id\":2,\"name\":"], [null, "c", "{\"id\":\"three\",\"name\":\"c\"}"], [4, null, null]], permissive);
        Assert.Equal([[1, "a", null], [4, null, null]], dropped);
        Assert.Equal(2, failFast.Line);
        Assert.Contains("/in/file.txt", failFast.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", failFast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multi_line_json_reads_an_array_of_objectsAsync()
    {
        var schema = DdlParser.ParseSchema("id INT, name STRING");
        var text = "[\n  {\"id\": 1,\n   \"name\": \"a\"},\n  {\"id\": 2, \"name\": \"b\"}\n]";

        var rows = Rows(await ReadAsync("json", text, schema, new FileFormatOptions { MultiLine = true }));

        Assert.Equal([[1, "a"], [2, "b"]], rows);
    }

    [Fact]
    public async Task Large_files_come_in_several_batchesAsync()
    {
        var schema = DdlParser.ParseSchema("id LONG, name STRING");
        var text = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{{\"id\":{i},\"name\":\"n{i % 10}\"}}\n"));

        var batches = await ReadAsync("json", text, schema, new FileFormatOptions { BatchRows = 65_536 });

        Assert.Equal(4, batches.Count);
        Assert.Equal(200_000, batches.Sum(b => b.Length));
        Assert.Equal(199_999L, Columns.GetScalar(batches[^1].Column(0), batches[^1].Length - 1));
    }

    [Fact]
    public async Task Csv_with_header_quotes_escapes_and_null_valuesAsync()
    {
        var schema = DdlParser.ParseSchema("id INT, title STRING, price DOUBLE, day DATE");
        var text = "id,title,price,day\n1,\"Dune, the novel\",9.5,2022-07-05\n2,\"He said \"\"hi\"\"\",NA,\n3,\"two\nlines\",1e2,2022-13-01\n";

        var rows = Rows(await ReadAsync("csv", text, schema, new FileFormatOptions { Header = true, NullValue = "NA" }));

        Assert.Equal([[1, "Dune, the novel", 9.5, 19178], [2, "He said \"hi\"", null, null], [3, "two\nlines", 100.0, null]], rows);
    }

    [Fact]
    public async Task Csv_failfast_names_the_line_and_columnAsync()
    {
        var schema = DdlParser.ParseSchema("id INT, qty INT");
        var error = await Assert.ThrowsAsync<MalformedRecordException>(() =>
            ReadAsync("csv", "1;2\n3;x\n", schema, new FileFormatOptions { Separator = ';', Mode = ParseMode.FailFast }));

        Assert.Equal(2, error.Line);
        Assert.Contains("`qty`", error.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_reads_lines_or_the_whole_fileAsync()
    {
        var lines = Rows(await ReadAsync("text", "a\r\nb\n\nc", TextLinesReader.DefaultSchema));
        var whole = Rows(await ReadAsync("text", "a\nb", TextLinesReader.DefaultSchema, new FileFormatOptions { WholeText = true }));

        Assert.Equal([["a"], ["b"], [""], ["c"]], lines);
        Assert.Equal([["a\nb"]], whole);
    }

    [Fact]
    public void Options_are_checked_by_name()
    {
        var mode = Assert.Throws<ArgumentException>(() => FileFormatOptions.Parse(new Dictionary<string, string> { ["mode"] = "STRICT" }));
        var sep = Assert.Throws<ArgumentException>(() => FileFormatOptions.Parse(new Dictionary<string, string> { ["cloudFiles.sep"] = ";;" }));
        var format = Assert.Throws<ArgumentException>(() => FileFormats.Create("xml", new FileFormatOptions()));

        Assert.Contains("mode", mode.Message, StringComparison.Ordinal);
        Assert.Contains("sep", sep.Message, StringComparison.Ordinal);
        Assert.Contains("xml", format.Message, StringComparison.Ordinal);
    }
}
