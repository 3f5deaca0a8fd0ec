using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Types;

public class DdlParserTests
{
    [Fact]
    public void Parses_the_kafka_style_schema()
    {
        var schema = DdlParser.ParseSchema("key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG");

        Assert.Equal(
            new StructType(
                new StructField("key", BinaryType.Instance),
                new StructField("value", BinaryType.Instance),
                new StructField("topic", StringType.Instance),
                new StructField("partition", LongType.Instance),
                new StructField("offset", LongType.Instance),
                new StructField("timestamp", LongType.Instance)),
            schema);
    }

    [Theory]
    [InlineData("string", "string")]
    [InlineData("STRING", "string")]
    [InlineData("varchar(10)", "string")]
    [InlineData("char(3)", "string")]
    [InlineData("binary", "binary")]
    [InlineData("boolean", "boolean")]
    [InlineData("bool", "boolean")]
    [InlineData("byte", "tinyint")]
    [InlineData("tinyint", "tinyint")]
    [InlineData("short", "smallint")]
    [InlineData("smallint", "smallint")]
    [InlineData("int", "int")]
    [InlineData("Integer", "int")]
    [InlineData("long", "bigint")]
    [InlineData("bigint", "bigint")]
    [InlineData("float", "float")]
    [InlineData("real", "float")]
    [InlineData("double", "double")]
    [InlineData("decimal", "decimal(10,0)")]
    [InlineData("dec", "decimal(10,0)")]
    [InlineData("numeric", "decimal(10,0)")]
    [InlineData("decimal(5)", "decimal(5,0)")]
    [InlineData("DECIMAL(10,2)", "decimal(10,2)")]
    [InlineData("numeric( 38 , 38 )", "decimal(38,38)")]
    [InlineData("dec(1,0)", "decimal(1,0)")]
    [InlineData("date", "date")]
    [InlineData("timestamp", "timestamp")]
    [InlineData("timestamp_ltz", "timestamp")]
    [InlineData("TIMESTAMP_NTZ", "timestamp_ntz")]
    [InlineData("void", "void")]
    [InlineData("array<int>", "array<int>")]
    [InlineData("map<string,bigint>", "map<string,bigint>")]
    [InlineData("  map < string , array < long > >  ", "map<string,array<bigint>>")]
    [InlineData("array<array<int>>", "array<array<int>>")]
    [InlineData("struct<>", "struct<>")]
    [InlineData("array<struct<a:int,b:string>>", "array<struct<a:int,b:string>>")]
    [InlineData("struct<a int, b: map<string, struct<c decimal(4,1)>>>", "struct<a:int,b:map<string,struct<c:decimal(4,1)>>>")]
    public void Parses_every_type_name_and_alias(string text, string expected)
    {
        Assert.Equal(expected, DdlParser.ParseType(text).SimpleString);
    }

    [Fact]
    public void Parsed_types_are_the_expected_instances()
    {
        Assert.Equal(new DecimalType(10, 2), DdlParser.ParseType("decimal(10,2)"));
        Assert.Equal(new MapType(StringType.Instance, LongType.Instance), DdlParser.ParseType("map<string,bigint>"));
        Assert.Equal(
            new ArrayType(new StructType(new StructField("a", IntegerType.Instance), new StructField("b", StringType.Instance))),
            DdlParser.ParseType("array<struct<a:int,b:string>>"));
    }

    [Fact]
    public void Colon_between_name_and_type_is_optional_at_the_top_level()
    {
        var expected = new StructType(new StructField("a", IntegerType.Instance), new StructField("b", StringType.Instance));

        Assert.Equal(expected, DdlParser.ParseSchema("a: int, b: string"));
        Assert.Equal(expected, DdlParser.ParseSchema("a INT, b STRING"));
        Assert.Equal(expected, DdlParser.ParseSchema("a:int,b string"));
    }

    [Fact]
    public void A_whole_struct_type_is_accepted_as_a_schema()
    {
        Assert.Equal(
            new StructType(new StructField("a", IntegerType.Instance), new StructField("b", StringType.Instance, nullable: false)),
            DdlParser.ParseSchema("struct<a:int, b:string not null>"));
    }

    [Fact]
    public void A_column_named_struct_is_still_a_column()
    {
        Assert.Equal(new StructType(new StructField("struct", IntegerType.Instance)), DdlParser.ParseSchema("struct INT"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Empty_text_is_an_empty_schema(string ddl)
    {
        Assert.Empty(DdlParser.ParseSchema(ddl));
    }

    [Fact]
    public void Not_null_and_comment_set_nullability_and_metadata()
    {
        var schema = DdlParser.ParseSchema("id BIGINT NOT NULL COMMENT 'row id', name STRING COMMENT \"who\" NOT NULL, note STRING");

        Assert.False(schema[0].Nullable);
        Assert.Equal("row id", schema[0].Comment);
        Assert.Equal("row id", schema[0].Metadata["comment"]);
        Assert.False(schema[1].Nullable);
        Assert.Equal("who", schema[1].Comment);
        Assert.True(schema[2].Nullable);
        Assert.Null(schema[2].Comment);
        Assert.Empty(schema[2].Metadata);
    }

    [Fact]
    public void Nested_struct_fields_take_not_null_and_comment()
    {
        var type = (StructType)DdlParser.ParseType("struct<a: int NOT NULL COMMENT 'inner', b string>");

        Assert.False(type[0].Nullable);
        Assert.Equal("inner", type[0].Comment);
        Assert.True(type[1].Nullable);
    }

    [Theory]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"""say \""hi\""""", "say \"hi\"")]
    [InlineData(@"""it's""", "it's")]
    [InlineData(@"'say ""hi""'", "say \"hi\"")]
    [InlineData(@"'back\\slash'", @"back\slash")]
    [InlineData(@"'line\nbreak\ttab'", "line\nbreak\ttab")]
    [InlineData(@"'caf\u00e9'", "café")]
    [InlineData(@"'\%'", "%")]
    [InlineData("''", "")]
    public void Comments_unescape_quotes_and_backslashes(string literal, string expected)
    {
        var schema = DdlParser.ParseSchema($"a INT COMMENT {literal}");

        Assert.Equal(expected, schema[0].Comment);
    }

    [Fact]
    public void Back_quoted_names_keep_any_character_and_double_backticks_escape()
    {
        var schema = DdlParser.ParseSchema("`a b`: INT, `weird``name,<>` STRING, `select` LONG, `ünï` DATE");

        Assert.Equal(["a b", "weird`name,<>", "select", "ünï"], schema.FieldNames);
    }

    [Fact]
    public void Bare_names_may_start_with_a_digit_and_keep_their_case()
    {
        var schema = DdlParser.ParseSchema("1st_col INT, _x STRING, CamelCase BOOLEAN, 42 LONG");

        Assert.Equal(["1st_col", "_x", "CamelCase", "42"], schema.FieldNames);
    }

    [Fact]
    public void Keywords_can_be_field_names()
    {
        var schema = DdlParser.ParseSchema("comment STRING, not INT, null BOOLEAN, struct struct<int: int, map: string>");

        Assert.Equal(["comment", "not", "null", "struct"], schema.FieldNames);
        Assert.Equal("struct<int:int,map:string>", schema[3].Type.SimpleString);
    }

    [Fact]
    public void Arrays_and_maps_from_ddl_contain_nulls()
    {
        var array = (ArrayType)DdlParser.ParseType("array<int>");
        var map = (MapType)DdlParser.ParseType("map<int,int>");

        Assert.True(array.ContainsNull);
        Assert.True(map.ValueContainsNull);
    }

    public static TheoryData<StructType> RoundTripSchemas() => new()
    {
        new StructType(new StructField("a", IntegerType.Instance)),
        new StructType(
            new StructField("id", LongType.Instance, nullable: false, new Dictionary<string, string> { ["comment"] = "it's a \\ \"key\"\nreally" }),
            new StructField("weird`name", StringType.Instance),
            new StructField("amount", new DecimalType(38, 18)),
            new StructField("at", TimestampType.Instance),
            new StructField("local", TimestampNtzType.Instance),
            new StructField("day", DateType.Instance),
            new StructField("flags", new ArrayType(BooleanType.Instance)),
            new StructField("nothing", NullType.Instance),
            new StructField("small", ByteType.Instance),
            new StructField("medium", ShortType.Instance),
            new StructField("f", FloatType.Instance),
            new StructField("d", DoubleType.Instance),
            new StructField("raw", BinaryType.Instance)),
        new StructType(
            new StructField("nested", new StructType(
                new StructField("inner", new ArrayType(new StructType(
                    new StructField("x", IntegerType.Instance, nullable: false),
                    new StructField("y", new MapType(StringType.Instance, new ArrayType(new DecimalType(10, 2)))))), nullable: false),
                new StructField("c", StringType.Instance, true, new Dictionary<string, string> { ["comment"] = "nested 'comment'" }),
                new StructField("empty", StructType.Empty))),
            new StructField("m", new MapType(new StructType(new StructField("k", StringType.Instance)), new MapType(IntegerType.Instance, StringType.Instance)))),
    };

    [Theory]
    [MemberData(nameof(RoundTripSchemas))]
    public void ToDdl_output_parses_back_to_an_equal_schema(StructType schema)
    {
        var ddl = schema.ToDdl();

        Assert.Equal(schema, DdlParser.ParseSchema(ddl));
    }

    [Theory]
    [MemberData(nameof(RoundTripSchemas))]
    public void ToDdlType_output_parses_back_to_an_equal_type(StructType schema)
    {
        foreach (var field in schema)
        {
            Assert.Equal(field.Type, DdlParser.ParseType(StructType.ToDdlType(field.Type)));
        }
    }

    [Fact]
    public void SimpleString_parses_back_for_plain_names()
    {
        var type = new StructType(
            new StructField("a", new ArrayType(new MapType(StringType.Instance, new DecimalType(7, 3)))),
            new StructField("b", new StructType(new StructField("c", TimestampNtzType.Instance), new StructField("d", NullType.Instance))));

        Assert.Equal("struct<a:array<map<string,decimal(7,3)>>,b:struct<c:timestamp_ntz,d:void>>", type.SimpleString);
        Assert.Equal(type, DdlParser.ParseType(type.SimpleString));
    }
}
