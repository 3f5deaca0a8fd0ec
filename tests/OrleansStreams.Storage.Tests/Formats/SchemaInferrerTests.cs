using System.Text;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Formats;

namespace OrleansStreams.Storage.Tests.Formats;

public class SchemaInferrerTests
{
    private static async Task<SchemaInferrer> InferAsync(string format, bool inferTypes, FileFormatOptions options, params string[] files)
    {
        var inferrer = new SchemaInferrer(format, options, inferTypes);
        foreach (var file in files)
        {
            await inferrer.AddFileAsync(new MemoryStream(Encoding.UTF8.GetBytes(file)));
        }

        return inferrer;
    }

    [Fact]
    public async Task Json_columns_are_strings_sorted_by_name_unless_types_are_inferredAsync()
    {
        string[] files =
        [
            "{\"name\":\"a\",\"id\":1,\"tags\":[\"x\"],\"inner\":{\"b\":true,\"a\":1}}\n{\"id\":2.5,\"none\":null}\n",
            "{\"ID\":3,\"name\":7,\"inner\":{\"c\":\"s\"}}\n",
        ];

        var strings = await InferAsync("json", false, new FileFormatOptions(), files);
        var typed = await InferAsync("json", true, new FileFormatOptions(), files);

        Assert.Equal(DdlParser.ParseSchema("id STRING, inner STRING, name STRING, none STRING, tags STRING"), strings.Result());
        Assert.Equal(
            DdlParser.ParseSchema("id DOUBLE, inner STRUCT<a: BIGINT, b: BOOLEAN, c: STRING>, name STRING, none STRING, tags ARRAY<STRING>"),
            typed.Result());
        Assert.False(typed.SawMalformedRecords);
    }

    [Fact]
    public async Task Malformed_json_records_are_left_out_and_notedAsync()
    {
        var inferrer = await InferAsync("json", false, new FileFormatOptions(), "{\"a\":1}\n{\"b\":\n[1]\n");

        Assert.Equal(DdlParser.ParseSchema("a STRING"), inferrer.Result());
        Assert.True(inferrer.SawMalformedRecords);
    }

    [Fact]
    public async Task Csv_columns_come_from_the_header_and_widen_across_filesAsync()
    {
        var options = new FileFormatOptions { Header = true, NullValue = "NA" };
        string[] files = ["id,price,ok,name,name\n1,2,true,a,b\n2,NA,false,c,d\n", "id,price,when\n3000000000,2.5,2024-01-01\n"];

        var typed = await InferAsync("csv", true, options, files);
        var strings = await InferAsync("csv", false, options, files);
        var noHeader = await InferAsync("csv", true, new FileFormatOptions(), "1,x\n2,y,3\n");

        Assert.Equal(DdlParser.ParseSchema("id BIGINT, price DOUBLE, ok BOOLEAN, name3 STRING, name4 STRING, when STRING"), typed.Result());
        Assert.Equal(DdlParser.ParseSchema("id STRING, price STRING, ok STRING, name3 STRING, name4 STRING, when STRING"), strings.Result());
        Assert.Equal(DdlParser.ParseSchema("_c0 INT, _c1 STRING, _c2 INT"), noHeader.Result());
    }

    [Fact]
    public void Widening_takes_the_wider_type_or_string()
    {
        Assert.Equal(LongType.Instance, SchemaInferrer.Widen(IntegerType.Instance, LongType.Instance));
        Assert.Equal(DoubleType.Instance, SchemaInferrer.Widen(LongType.Instance, DoubleType.Instance));
        Assert.Equal(StringType.Instance, SchemaInferrer.Widen(BooleanType.Instance, LongType.Instance));
        Assert.Equal(StringType.Instance, SchemaInferrer.Widen(new ArrayType(LongType.Instance), LongType.Instance));
        Assert.Equal(new ArrayType(DoubleType.Instance), SchemaInferrer.Widen(new ArrayType(LongType.Instance), new ArrayType(DoubleType.Instance)));
    }
}
