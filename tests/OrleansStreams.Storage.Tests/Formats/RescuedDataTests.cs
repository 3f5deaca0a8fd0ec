using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Formats;

namespace OrleansStreams.Storage.Tests.Formats;

public class RescuedDataTests
{
    private const string FilePath = "/in/part-0.json";

    private static async Task<(List<object?[]> Rows, FileReadReport Report)> ReadAsync(string format, byte[] content, string ddl, FileFormatOptions options)
    {
        var report = new FileReadReport { KeepBadRecords = true };
        var rows = new List<object?[]>();
        await foreach (var batch in FileFormats.Create(format, options).ReadAsync(new MemoryStream(content), DdlParser.ParseSchema(ddl), FilePath, report))
        {
            rows.AddRange(Rows(batch));
        }

        return (rows, report);
    }

    private static IEnumerable<object?[]> Rows(RecordBatch batch) =>
        Enumerable.Range(0, batch.Length).Select(r => Enumerable.Range(0, batch.ColumnCount).Select(c => Columns.GetScalar(batch.Column(c), r)).ToArray());

    private static JsonNode? Json(object? text) => text is string s ? JsonNode.Parse(s) : null;

    [Fact]
    public async Task Json_fields_that_do_not_fit_go_to_the_rescued_data_with_the_file_pathAsync()
    {
        var text = "{\"id\":1,\"name\":\"a\"}\n" +
                   "{\"id\":\"two\",\"name\":\"b\",\"extra\":{\"x\":[1,2]}}\n" +
                   "{\"ID\":3,\"name\":\"c\"}\n";
        var options = new FileFormatOptions { RescuedDataColumn = "_rescued_data", Mode = ParseMode.FailFast };

        var (rows, report) = await ReadAsync("json", Encoding.UTF8.GetBytes(text), "id INT, name STRING, _rescued_data STRING", options);

        Assert.Equal([1, "a", null], rows[0]);
        Assert.Equal([null, "b"], rows[1][..2]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"{{\"id\":\"two\",\"extra\":{{\"x\":[1,2]}},\"_file_path\":\"{FilePath}\"}}"), Json(rows[1][2])));
        Assert.Equal([null, "c"], rows[2][..2]); // a name that differs in case is rescued, not matched
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"{{\"ID\":3,\"_file_path\":\"{FilePath}\"}}"), Json(rows[2][2])));
        Assert.Equal(2, report.RescuedRecords);
        Assert.Equal(0, report.MalformedRecords); // type mismatches are rescued, so FAILFAST did not fail
        Assert.Equal(new Dictionary<string, long> { ["extra"] = 2 }, report.UnknownFields);
    }

    [Fact]
    public async Task Json_records_that_are_not_utf8_are_malformed_with_their_lineAsync()
    {
        var content = Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\"}\n{\"id\":3}\n")).ToArray();
        const string ddl = "id INT, name STRING, _corrupt_record STRING";

        var (permissive, report) = await ReadAsync("json", content, ddl, new FileFormatOptions());
        var failFast = await Assert.ThrowsAsync<MalformedRecordException>(() => ReadAsync("json", content, ddl, new FileFormatOptions { Mode = ParseMode.FailFast }));

        Assert.Equal(3, permissive.Count);
        Assert.Equal([null, null], permissive[1][..2]);
        Assert.Equal("{\"id\":2,\"name\":\"\uFFFD\uFFFD\"}", permissive[1][2]);
        Assert.Equal(2, report.FirstMalformed!.Line);
        Assert.Contains("not valid UTF-8", report.FirstMalformed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, failFast.Line);
        Assert.Contains(FilePath, failFast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_maps_columns_by_header_name_and_rescues_the_restAsync()
    {
        var text = "name,id,color\na,1,red\nb,x,blue\n";
        var options = new FileFormatOptions { Header = true, RescuedDataColumn = "_rescued_data" };

        var (rows, report) = await ReadAsync("csv", Encoding.UTF8.GetBytes(text), "id INT, name STRING, _rescued_data STRING", options);

        Assert.Equal([1, "a"], rows[0][..2]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"{{\"color\":\"red\",\"_file_path\":\"{FilePath}\"}}"), Json(rows[0][2])));
        Assert.Equal([null, "b"], rows[1][..2]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"{{\"id\":\"x\",\"color\":\"blue\",\"_file_path\":\"{FilePath}\"}}"), Json(rows[1][2])));
        Assert.Equal(new Dictionary<string, long> { ["color"] = 1 }, report.UnknownFields);
    }

    [Fact]
    public async Task Csv_ragged_rows_follow_the_modeAsync()
    {
        var content = Encoding.UTF8.GetBytes("id,name\n1,a\n2\n3,c,extra\n4,d\n");
        const string ddl = "id INT, name STRING, _corrupt_record STRING";

        var (permissive, report) = await ReadAsync("csv", content, ddl, new FileFormatOptions { Header = true });
        var (dropped, _) = await ReadAsync("csv", content, ddl, new FileFormatOptions { Header = true, Mode = ParseMode.DropMalformed });
        var failFast = await Assert.ThrowsAsync<MalformedRecordException>(() => ReadAsync("csv", content, ddl, new FileFormatOptions { Header = true, Mode = ParseMode.FailFast }));

        Assert.Equal([[1, "a", null], [2, null, "2"], [3, "c", "3,c,extra"], [4, "d", null]], permissive);
        Assert.Equal(2, report.MalformedRecords);
        Assert.Equal([[1, "a", null], [4, "d", null]], dropped);
        Assert.Equal(3, failFast.Line);
        Assert.Contains("1 fields where the header has 2", failFast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_bytes_that_are_not_utf8_are_replaced_and_reportedAsync()
    {
        var content = Encoding.UTF8.GetBytes("id,name\n1,a\n2,").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();

        var (rows, report) = await ReadAsync("csv", content, "id INT, name STRING", new FileFormatOptions { Header = true });

        Assert.Equal([[1, "a"], [2, "\uFFFD("]], rows);
        Assert.Equal(3, report.ReplacedInvalidUtf8Line);
    }

    [Fact]
    public async Task Csv_header_names_the_schema_lacks_fall_back_to_positionsAsync()
    {
        var (rows, report) = await ReadAsync("csv", Encoding.UTF8.GetBytes("a,b\n1,x\n"), "id INT, name STRING", new FileFormatOptions { Header = true });

        Assert.Equal([[1, "x"]], rows);
        Assert.Empty(report.UnknownFields);
    }

    [Fact]
    public async Task The_corrupt_record_column_can_be_renamedAsync()
    {
        var options = new FileFormatOptions { CorruptRecordColumn = "bad_line" };

        var (json, _) = await ReadAsync("json", Encoding.UTF8.GetBytes("{\"id\":1}\n{\"id\":\n"), "id INT, bad_line STRING", options);
        var (csv, _) = await ReadAsync("csv", Encoding.UTF8.GetBytes("1\n2,x\n"), "id INT, bad_line STRING", options);

        Assert.Equal([[1, null], [null, "{\"id\":"]], json);
        Assert.Equal([[1, null], [2, "2,x"]], csv);
    }
}
