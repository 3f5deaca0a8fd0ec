using OrleansStreams.Engine.Execution;
using static OrleansStreams.Engine.Tests.Expressions.Functions.FunctionTestKit;

namespace OrleansStreams.Engine.Tests.Expressions.Functions;

public class JsonAndCollectionFunctionTests
{
    private const string Order = "'{\"order_id\": 7, \"books\": [{\"id\": \"B01\", \"qty\": 2}, {\"id\": \"B02\", \"qty\": 1}], \"customer\": {\"name\": \"Ann\"}}'";

    [Fact]
    public void Get_json_object_walks_paths()
    {
        Assert.Equal("7", Eval($"get_json_object({Order}, '$.order_id')"));
        Assert.Equal("Ann", Eval($"get_json_object({Order}, '$.customer.name')"));
        Assert.Equal("B02", Eval($"get_json_object({Order}, '$.books[1].id')"));
        Assert.Equal("{\"name\": \"Ann\"}", Eval($"get_json_object({Order}, '$.customer')"));
        Assert.Null(Eval($"get_json_object({Order}, '$.missing')"));
        Assert.Null(Eval("get_json_object('{broken', '$.a')"));
    }

    [Fact]
    public void From_json_reads_a_DDL_schema_and_malformed_input_is_null()
    {
        var row = Eval($"from_json({Order}, 'order_id LONG, books ARRAY<STRUCT<id: STRING, qty: INT>>, customer STRUCT<name: STRING>, missing STRING')");

        Assert.Equal(new object?[] { 7L, new object?[] { new object?[] { "B01", 2 }, new object?[] { "B02", 1 } }, new object?[] { "Ann" }, null }, row);
        Assert.Null(Eval("from_json('{not json', 'a INT')"));
        Assert.Equal(new object?[] { null }, Eval("from_json('{\"a\": \"text\"}', 'a INT')"));
    }

    [Fact]
    public void To_json_writes_structs_arrays_and_maps()
    {
        Assert.Equal("{\"a\":1,\"b\":\"x\"}", Eval("to_json(named_struct('a', 1, 'b', 'x'))"));
        Assert.Equal("[\"a\",\"b\"]", Eval("to_json(split('a,b', ','))"));
        Assert.Equal("{\"id\":\"B01\",\"qty\":2}", Eval("to_json(from_json('{\"id\":\"B01\",\"qty\":2}', 'id STRING, qty INT'))"));
    }

    [Fact]
    public void Struct_element_at_and_size()
    {
        Assert.Equal(new object?[] { 1, "x" }, Eval("struct(1, 'x')"));
        Assert.Equal("b", Eval("element_at(split('a,b,c', ','), 2)"));
        Assert.Equal("c", Eval("element_at(split('a,b,c', ','), -1)"));
        Assert.Null(Eval("element_at(split('a,b,c', ','), 5)"));
        Assert.Equal(3, Eval("size(split('a,b,c', ','))"));
        Assert.Equal(new object?[] { 1L, 2L, null }, Eval("array(1, 2L, NULL)"));
        Assert.Equal(-1, Eval("size(split(NULL, ','))"));
    }

    [Fact]
    public async Task Explode_makes_a_row_per_element_and_repeats_the_other_columnsAsync()
    {
        var session = new QuerySession(NoTables.Instance);

        var rows = await Execution.QueryTestKit.SqlRowsAsync(session, "SELECT 'o1' AS id, explode(split('a,b,c', ',')) AS letter");
        var schema = session.Sql("SELECT explode(split('a', ','))")!.Columns;

        Assert.Equal([["o1", "a"], ["o1", "b"], ["o1", "c"]], rows);
        Assert.Equal(["col"], schema);
    }

    [Theory]
    [InlineData("md5('Spark')", "8cde774d6f7333752ed72cacddb05126")]
    [InlineData("sha2('Spark', 256)", "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b")]
    [InlineData("sha1('Spark')", "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c")]
    public void Digests_are_lower_case_hex(string sql, string expected) => Assert.Equal(expected, Eval(sql));

    [Theory]
    [InlineData("hash('Spark', array(123), 2)", -1321691492)] // the example in Spark's function reference
    [InlineData("hash(1)", -559580957)]
    [InlineData("hash(NULL)", 42)]
    public void Hash_matches_Sparks_murmur3(string sql, int expected) => Assert.Equal(expected, Eval(sql));
}
