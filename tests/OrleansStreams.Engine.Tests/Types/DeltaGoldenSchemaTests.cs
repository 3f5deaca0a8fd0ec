using System.Globalization;
using System.Text.Json;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Types;

/// <summary>Schemas Spark wrote into the golden Delta tables committed under tests/TestData.</summary>
public class DeltaGoldenSchemaTests
{
    private static string DeltaTestData =>
        OrleansStreams.TestSupport.TestData.DeltaTables;

    public static TheoryData<string> Tables()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(DeltaTestData).Order(StringComparer.Ordinal))
        {
            if (File.Exists(FirstCommit(dir)))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    private static string FirstCommit(string tableDir) => Path.Combine(tableDir, "_delta_log", "00000000000000000000.json");

    private static string SchemaString(string table)
    {
        foreach (var line in File.ReadLines(FirstCommit(Path.Combine(DeltaTestData, table))))
        {
            using var action = JsonDocument.Parse(line);
            if (action.RootElement.TryGetProperty("metaData", out var metaData))
            {
                return metaData.GetProperty("schemaString").GetString()!;
            }
        }

        throw new InvalidOperationException($"no metaData action in the first commit of {table}");
    }

    [Fact]
    public void The_golden_tables_are_present()
    {
        Assert.True(Tables().Count >= 10, $"expected the golden Delta tables under {DeltaTestData}");
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Spark_schema_strings_parse_and_serialize_back_to_the_same_text_and_schema(string table)
    {
        var json = SchemaString(table);

        var schema = SchemaJson.Parse(json);
        var written = SchemaJson.Serialize(schema);

        Assert.NotEmpty(schema);
        Assert.Equal(schema, SchemaJson.Parse(written));
        Assert.Equal(json, written);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Spark_schemas_round_trip_through_ddl(string table)
    {
        var schema = SchemaJson.Parse(SchemaString(table));

        // DDL cannot say containsNull=false; Spark's golden schemas always contain nulls, so they survive. Nor can it hold
        // field metadata other than comments (column mapping's ids and physical names), so those tables compare as DDL.
        var parsed = DdlParser.ParseSchema(schema.ToDdl());
        if (!SchemaString(table).Contains("delta.columnMapping", StringComparison.Ordinal))
        {
            Assert.Equal(schema, parsed);
        }

        Assert.Equal(schema.ToDdl(), parsed.ToDdl());
        Assert.Equal(schema.SimpleString, parsed.SimpleString);
    }

    [Fact]
    public void The_map_table_has_the_expected_nested_schema()
    {
        var schema = SchemaJson.Parse(SchemaString("data-reader-map"));

        Assert.Equal(
            "struct<i:int,a:map<int,int>,b:map<bigint,tinyint>,c:map<smallint,boolean>,d:map<float,double>,e:map<string,decimal(1,0)>,f:map<int,array<struct<val:int>>>>",
            schema.SimpleString);
    }

    [Fact]
    public void The_decimal_table_has_every_precision_and_scale()
    {
        var schema = SchemaJson.Parse(SchemaString("decimal-various-scale-precision"));

        foreach (var field in schema)
        {
            var parts = field.Name.Split('_');
            Assert.Equal(new DecimalType(int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)), field.Type);
        }
    }

    [Fact]
    public void The_primitives_table_matches_its_ddl()
    {
        var schema = SchemaJson.Parse(SchemaString("data-reader-primitives"));

        Assert.Equal(
            DdlParser.ParseSchema("as_int INT, as_long BIGINT, as_byte TINYINT, as_short SMALLINT, as_boolean BOOLEAN, as_float FLOAT, as_double DOUBLE, as_string STRING, as_binary BINARY, as_big_decimal DECIMAL(1,0)"),
            schema);
    }
}
