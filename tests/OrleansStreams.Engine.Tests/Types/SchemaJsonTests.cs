using System.Text.Json;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Types;

public class SchemaJsonTests
{
    private const string Nested =
        """{"type":"struct","fields":[{"name":"a","type":{"type":"struct","fields":[{"name":"aa","type":"string","nullable":true,"metadata":{}},{"name":"ac","type":{"type":"struct","fields":[{"name":"aca","type":"integer","nullable":false,"metadata":{}}]},"nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},{"name":"tags","type":{"type":"array","elementType":"string","containsNull":false},"nullable":true,"metadata":{}},{"name":"m","type":{"type":"map","keyType":"integer","valueType":{"type":"array","elementType":{"type":"struct","fields":[{"name":"val","type":"decimal(10,2)","nullable":true,"metadata":{}}]},"containsNull":true},"valueContainsNull":false},"nullable":false,"metadata":{}}]}""";

    [Fact]
    public void Serializes_the_delta_format_exactly()
    {
        var schema = new StructType(
            new StructField("id", LongType.Instance, nullable: false),
            new StructField("name", StringType.Instance, true, new Dictionary<string, string> { ["comment"] = "who \"quoted\" <b>" }));

        Assert.Equal(
            """{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"name","type":"string","nullable":true,"metadata":{"comment":"who \"quoted\" <b>"}}]}""",
            SchemaJson.Serialize(schema));
    }

    [Fact]
    public void Parses_and_serializes_nested_types_byte_for_byte()
    {
        var schema = SchemaJson.Parse(Nested);

        Assert.Equal(Nested, SchemaJson.Serialize(schema));
        var m = (MapType)schema.Get("m").Type;
        Assert.False(m.ValueContainsNull);
        Assert.Equal(IntegerType.Instance, m.KeyType);
        Assert.Equal(new DecimalType(10, 2), ((StructType)((ArrayType)m.ValueType).ElementType)[0].Type);
        Assert.False(((ArrayType)schema.Get("tags").Type).ContainsNull);
        Assert.False(((StructType)((StructType)schema.Get("a").Type).Get("ac").Type)[0].Nullable);
    }

    [Theory]
    [InlineData("string", "string")]
    [InlineData("binary", "binary")]
    [InlineData("boolean", "boolean")]
    [InlineData("byte", "tinyint")]
    [InlineData("short", "smallint")]
    [InlineData("integer", "int")]
    [InlineData("long", "bigint")]
    [InlineData("float", "float")]
    [InlineData("double", "double")]
    [InlineData("date", "date")]
    [InlineData("timestamp", "timestamp")]
    [InlineData("timestamp_ntz", "timestamp_ntz")]
    [InlineData("void", "void")]
    [InlineData("decimal(10,2)", "decimal(10,2)")]
    [InlineData("decimal(38, 0)", "decimal(38,0)")]
    [InlineData("decimal", "decimal(10,0)")]
    public void Parses_every_primitive_name(string jsonName, string simpleString)
    {
        using var document = JsonDocument.Parse($"\"{jsonName}\"");

        var type = SchemaJson.ParseType(document.RootElement);

        Assert.Equal(simpleString, type.SimpleString);
    }

    [Fact]
    public void Primitive_names_round_trip()
    {
        DataType[] types =
        [
            StringType.Instance, BinaryType.Instance, BooleanType.Instance, ByteType.Instance, ShortType.Instance,
            IntegerType.Instance, LongType.Instance, FloatType.Instance, DoubleType.Instance, DateType.Instance,
            TimestampType.Instance, TimestampNtzType.Instance, NullType.Instance, new DecimalType(38, 18),
        ];
        var schema = new StructType(types.Select((t, i) => new StructField($"c{i}", t)));

        var json = SchemaJson.Serialize(schema);

        Assert.Equal(schema, SchemaJson.Parse(json));
        Assert.Contains("\"type\":\"integer\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"byte\"", json, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"decimal(38,18)\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_keeps_strings_as_strings_and_other_values_as_raw_json()
    {
        const string json =
            """{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{"comment":"it's \"x\"","delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-1a2b","flag":true,"ratio":1.5,"nested":{"k":[1,"two",null]},"numeric_string":"42"}}]}""";

        var field = SchemaJson.Parse(json)[0];

        Assert.Equal("it's \"x\"", field.Comment);
        Assert.Equal("5", field.Metadata["delta.columnMapping.id"]);
        Assert.Equal("col-1a2b", field.Metadata["delta.columnMapping.physicalName"]);
        Assert.Equal("true", field.Metadata["flag"]);
        Assert.Equal("1.5", field.Metadata["ratio"]);
        Assert.Equal("""{"k":[1,"two",null]}""", field.Metadata["nested"]);
        Assert.Equal("42", field.Metadata["numeric_string"]);
        var metadata = Assert.IsType<FieldMetadata>(field.Metadata);
        Assert.True(metadata.IsRawJson("delta.columnMapping.id"));
        Assert.False(metadata.IsRawJson("numeric_string"));

        var written = SchemaJson.Serialize(SchemaJson.Parse(json));

        Assert.Equal(json, written);
    }

    [Fact]
    public void Metadata_survives_renaming_and_retyping_a_field()
    {
        const string json = """{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":5}}]}""";
        var field = SchemaJson.Parse(json)[0];

        var renamed = new StructType(field.WithName("b").WithType(LongType.Instance));

        Assert.Equal(
            """{"type":"struct","fields":[{"name":"b","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":5}}]}""",
            SchemaJson.Serialize(renamed));
    }

    [Fact]
    public void Ddl_comments_serialize_as_json_strings()
    {
        var schema = DdlParser.ParseSchema("a INT COMMENT '5', s STRUCT<x: STRING COMMENT 'inner \\'q\\''>");

        var json = SchemaJson.Serialize(schema);

        Assert.Contains("\"metadata\":{\"comment\":\"5\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"metadata\":{\"comment\":\"inner 'q'\"}", json, StringComparison.Ordinal);
        Assert.Equal(schema, SchemaJson.Parse(json));
    }

    [Fact]
    public void Non_ascii_names_are_written_unescaped_and_read_back()
    {
        var schema = new StructType(new StructField("prénom 名前", StringType.Instance), new StructField("a.b`c", IntegerType.Instance));

        var json = SchemaJson.Serialize(schema);

        Assert.Contains("\"prénom 名前\"", json, StringComparison.Ordinal);
        Assert.Equal(schema, SchemaJson.Parse(json));
    }

    [Fact]
    public void Missing_nullable_flags_and_metadata_default_to_nullable_and_empty()
    {
        var schema = SchemaJson.Parse("""{"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":"long"}}]}""");

        Assert.True(schema[0].Nullable);
        Assert.Empty(schema[0].Metadata);
        Assert.True(((ArrayType)schema[0].Type).ContainsNull);
    }

    [Fact]
    public void An_empty_struct_round_trips()
    {
        Assert.Equal("""{"type":"struct","fields":[]}""", SchemaJson.Serialize(StructType.Empty));
        Assert.Equal(StructType.Empty, SchemaJson.Parse("""{"type":"struct","fields":[]}"""));
    }

    [Theory]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":"interval","nullable":true,"metadata":{}}]}""", "at $.fields[0].type: unknown data type \"interval\"")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":{"type":"udt","class":"x"},"nullable":true,"metadata":{}}]}""", "at $.fields[0].type.type: unknown data type \"udt\"")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":"Integer"}}]}""", "at $.fields[0].type.elementType: unknown data type \"Integer\"")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":"decimal(40,2)"}]}""", "at $.fields[0].type: invalid decimal type \"decimal(40,2)\"")]
    [InlineData("""{"type":"struct","fields":[{"type":"long"}]}""", "at $.fields[0]: missing \"name\"")]
    [InlineData("""{"type":"struct","fields":[{"name":"a"}]}""", "at $.fields[0]: missing \"type\"")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":"long","nullable":"yes"}]}""", "at $.fields[0].nullable: expected true or false, found \"yes\"")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":"long"},{"name":"A","type":"long"}]}""", "at $.fields[1]: duplicate field name \"A\"")]
    [InlineData("""{"type":"struct","fields":{}}""", "at $.fields: expected an array of fields")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":"long","metadata":[]}]}""", "at $.fields[0].metadata: expected an object")]
    [InlineData("""{"type":"struct","fields":[{"name":"a","type":"long","metadata":{"k":1,"k":"2"}}]}""", "at $.fields[0].metadata: duplicate key \"k\"")]
    [InlineData("\"long\"", "at $: the schema must be a struct type")]
    [InlineData("42", "at $: expected a type name or a type object, found 42")]
    public void Bad_schemas_name_the_json_path_and_the_fault(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => SchemaJson.Parse(json));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Invalid Delta schema JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_a_format_error()
    {
        var e = Assert.Throws<FormatException>(() => SchemaJson.Parse("""{"type":"struct","fields":["""));

        Assert.StartsWith("Delta schema is not valid JSON", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }
}
