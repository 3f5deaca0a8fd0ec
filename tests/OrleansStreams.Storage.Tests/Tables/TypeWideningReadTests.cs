using System.Text.Json.Nodes;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>Files written before a column's type was widened read in the table's current type, exactly.</summary>
public sealed class TypeWideningReadTests
{
    [Fact]
    public async Task Spark_files_of_the_narrower_types_read_exactly_in_the_widened_typesAsync()
    {
        var rows = await ReadAsync("type-widening");

        // JsonRows compares numbers with a tolerance: compare the exact text here (rows from the kernel's DeltaTableReadsSuite).
        var old = rows.Single(r => r["byte_long"]!.GetValue<string>() == "1");
        var recent = rows.Single(r => r["byte_long"]!.GetValue<string>() == "9223372036854775807");
        Assert.Equal(
            """{"byte_long":"1","int_long":"2","float_double":3.4000000953674316,"byte_double":5,"short_double":6,"int_double":7,"decimal_decimal_same_scale":"123.45","decimal_decimal_greater_scale":"67.89000","byte_decimal":"1.0","short_decimal":"2.0","int_decimal":"3.0","long_decimal":"4.0","date_timestamp_ntz":"2024-09-09 00:00:00"}""",
            old.ToJsonString());
        Assert.Equal(
            """{"byte_long":"9223372036854775807","int_long":"9223372036854775807","float_double":1.234567890123,"byte_double":1.234567890123,"short_double":1.234567890123,"int_double":1.234567890123,"decimal_decimal_same_scale":"12345678901234.56","decimal_decimal_greater_scale":"12345678901.23456","byte_decimal":"123.4","short_decimal":"12345.6","int_decimal":"1234567890.1","long_decimal":"123456789012345678.9","date_timestamp_ntz":"2024-09-09 12:34:56.123456"}""",
            recent.ToJsonString());
    }

    [Fact]
    public async Task Widened_struct_fields_map_keys_values_and_array_elements_read_as_longAsync()
    {
        var rows = (await ReadAsync("type-widening-nested")).Select(r => r.ToJsonString()).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                """{"struct":{"a":"1"},"map":[{"key":"2","value":"3"}],"array":["4","5"]}""",
                """{"struct":{"a":"9223372036854775807"},"map":[{"key":"9223372036854775807","value":"9223372036854775807"}],"array":["9223372036854775807","-9223372036854775808"]}""",
            ],
            rows);
    }

    [Theory]
    [InlineData("tinyint", "bigint", true)]
    [InlineData("smallint", "double", true)]
    [InlineData("float", "double", true)]
    [InlineData("date", "timestamp_ntz", true)]
    [InlineData("int", "decimal(10,0)", true)]
    [InlineData("int", "decimal(12,2)", true)]
    [InlineData("int", "decimal(11,2)", false)]
    [InlineData("bigint", "decimal(20,0)", true)]
    [InlineData("bigint", "decimal(19,0)", false)]
    [InlineData("decimal(10,2)", "decimal(20,5)", true)]
    [InlineData("decimal(10,2)", "decimal(11,3)", true)]
    [InlineData("decimal(10,2)", "decimal(10,3)", false)]
    [InlineData("bigint", "int", false)]
    [InlineData("bigint", "double", false)]
    [InlineData("date", "timestamp", false)]
    public void Supported_type_changes_are_the_protocols(string from, string to, bool supported) =>
        Assert.Equal(supported, TypeChanges.IsSupported(DdlParser.ParseType(from), DdlParser.ParseType(to)));

    private static async Task<List<JsonObject>> ReadAsync(string name)
    {
        var table = new DeltaTable(new LocalFileObjectStore(Path.Combine(TestData.DeltaTables, name)));
        var batches = new List<Apache.Arrow.RecordBatch>();
        await foreach (var batch in table.ReadAsync(await table.GetSnapshotAsync()))
        {
            batches.Add(batch);
        }

        return RowJson.Render(batches).ToList();
    }
}
