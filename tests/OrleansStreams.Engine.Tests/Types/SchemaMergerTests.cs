using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Tests.Types;

public class SchemaMergerTests
{
    private static StructType Ddl(string ddl) => DdlParser.ParseSchema(ddl);

    [Fact]
    public void Equal_schemas_merge_to_the_existing_schema()
    {
        var schema = Ddl("a INT, b STRUCT<x: STRING, y: ARRAY<LONG>>, m MAP<STRING, DOUBLE>");

        Assert.Equal(schema, SchemaMerger.Merge(schema, schema));
        Assert.False(SchemaMerger.HasNewColumns(schema, schema));
    }

    [Fact]
    public void New_top_level_columns_are_appended_in_incoming_order()
    {
        var merged = SchemaMerger.Merge(Ddl("a INT, b STRING"), Ddl("d DATE, b STRING, c LONG, a INT"));

        Assert.Equal(Ddl("a INT, b STRING, d DATE, c LONG"), merged);
    }

    [Fact]
    public void Existing_columns_keep_order_case_nullability_and_comment()
    {
        var existing = Ddl("Id BIGINT NOT NULL COMMENT 'key', Name STRING");
        var incoming = Ddl("name STRING NOT NULL, ID BIGINT, extra INT");

        var merged = SchemaMerger.Merge(existing, incoming);

        Assert.Equal(Ddl("Id BIGINT NOT NULL COMMENT 'key', Name STRING, extra INT"), merged);
    }

    [Fact]
    public void Columns_missing_from_incoming_are_kept()
    {
        Assert.Equal(Ddl("a INT, b STRING"), SchemaMerger.Merge(Ddl("a INT, b STRING"), Ddl("b STRING")));
    }

    [Fact]
    public void New_nested_fields_are_appended_inside_their_struct()
    {
        var existing = Ddl("id INT, s STRUCT<x: INT, inner: STRUCT<p: STRING>>, tail STRING");
        var incoming = Ddl("s STRUCT<inner: STRUCT<q: LONG, P: STRING>, z: DATE, X: INT>, id INT");

        var merged = SchemaMerger.Merge(existing, incoming);

        Assert.Equal(Ddl("id INT, s STRUCT<x: INT, inner: STRUCT<p: STRING, q: LONG>, z: DATE>, tail STRING"), merged);
        Assert.Equal(["s.inner.q", "s.z"], SchemaMerger.FindNewColumns(existing, incoming));
    }

    [Fact]
    public void Structs_inside_arrays_and_maps_merge()
    {
        var existing = Ddl("arr ARRAY<STRUCT<a: INT>>, m MAP<STRING, STRUCT<v: INT>>");
        var incoming = Ddl("arr ARRAY<STRUCT<a: INT, b: STRING>>, m MAP<STRING, STRUCT<w: LONG, v: INT>>");

        var merged = SchemaMerger.Merge(existing, incoming);

        Assert.Equal(Ddl("arr ARRAY<STRUCT<a: INT, b: STRING>>, m MAP<STRING, STRUCT<v: INT, w: LONG>>"), merged);
        Assert.Equal(["arr.element.b", "m.value.w"], SchemaMerger.FindNewColumns(existing, incoming));
    }

    [Fact]
    public void Container_nullability_follows_the_existing_schema()
    {
        var existing = new StructType(new StructField("arr", new ArrayType(IntegerType.Instance, ContainsNull: false)));
        var incoming = new StructType(new StructField("arr", new ArrayType(IntegerType.Instance, ContainsNull: true)));

        Assert.Equal(existing, SchemaMerger.Merge(existing, incoming));
    }

    [Fact]
    public void An_incoming_void_column_takes_the_existing_type()
    {
        var existing = Ddl("a DECIMAL(10,2), s STRUCT<x: INT>");
        var incoming = Ddl("a VOID, s STRUCT<x: VOID>, n VOID");

        Assert.Equal(Ddl("a DECIMAL(10,2), s STRUCT<x: INT>, n VOID"), SchemaMerger.Merge(existing, incoming));
    }

    [Fact]
    public void An_existing_void_column_takes_the_incoming_type()
    {
        Assert.Equal(Ddl("a STRING"), SchemaMerger.Merge(Ddl("a VOID"), Ddl("a STRING")));
    }

    [Fact]
    public void A_changed_type_fails_with_sparks_message()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => SchemaMerger.Merge(Ddl("x INT"), Ddl("x STRING")));

        Assert.StartsWith("Failed to merge fields 'x' and 'x'. Failed to merge incompatible data types IntegerType and StringType", e.Message, StringComparison.Ordinal);
        Assert.Contains("column x: int in the table, string in the data", e.Message, StringComparison.Ordinal);
        Assert.Equal(["x"], e.Columns);
        Assert.IsAssignableFrom<InvalidOperationException>(e);
    }

    [Fact]
    public void A_nested_type_change_names_every_enclosing_field()
    {
        var e = Assert.Throws<SchemaMismatchException>(() =>
            SchemaMerger.Merge(Ddl("Outer STRUCT<items: ARRAY<STRUCT<n: DECIMAL(10,2)>>>"), Ddl("outer STRUCT<ITEMS: ARRAY<STRUCT<n: DECIMAL(12,2)>>>")));

        Assert.StartsWith(
            "Failed to merge fields 'Outer' and 'outer'. Failed to merge fields 'items' and 'ITEMS'. Failed to merge fields 'n' and 'n'. "
            + "Failed to merge incompatible data types DecimalType(10,2) and DecimalType(12,2)",
            e.Message,
            StringComparison.Ordinal);
        Assert.Equal(["Outer.items.element.n"], e.Columns);
    }

    [Theory]
    [InlineData("a INT", "a BIGINT", "IntegerType and LongType")]
    [InlineData("a TINYINT", "a SMALLINT", "ByteType and ShortType")]
    [InlineData("a TIMESTAMP", "a TIMESTAMP_NTZ", "TimestampType and TimestampNTZType")]
    [InlineData("a ARRAY<INT>", "a STRING", "ArrayType(IntegerType,true) and StringType")]
    [InlineData("a MAP<STRING,INT>", "a MAP<STRING,STRING>", "IntegerType and StringType")]
    [InlineData("a STRUCT<b: INT>", "a INT", "StructType(StructField(b,IntegerType,true)) and IntegerType")]
    public void Every_kind_of_type_change_is_refused(string existing, string incoming, string types)
    {
        var e = Assert.Throws<SchemaMismatchException>(() => SchemaMerger.Merge(Ddl(existing), Ddl(incoming)));

        Assert.Contains($"Failed to merge incompatible data types {types}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasNewColumns_compares_names_case_insensitively()
    {
        Assert.False(SchemaMerger.HasNewColumns(Ddl("Abc INT, s STRUCT<X: INT>"), Ddl("aBC INT, S STRUCT<x: INT>")));
        Assert.True(SchemaMerger.HasNewColumns(Ddl("a INT"), Ddl("a INT, b INT")));
        Assert.True(SchemaMerger.HasNewColumns(Ddl("s STRUCT<x: INT>"), Ddl("s STRUCT<x: INT, y: INT>")));
        Assert.False(SchemaMerger.HasNewColumns(Ddl("a INT, b INT"), Ddl("b INT")));
    }

    [Fact]
    public void EnsureCompatible_accepts_the_same_a_subset_or_void_columns()
    {
        var table = Ddl("id BIGINT NOT NULL, name STRING, s STRUCT<x: INT, y: INT>");

        SchemaMerger.EnsureCompatible(table, table);
        SchemaMerger.EnsureCompatible(table, Ddl("ID BIGINT, s STRUCT<y: INT>"));
        SchemaMerger.EnsureCompatible(table, Ddl("id BIGINT, name VOID"));
    }

    [Fact]
    public void EnsureCompatible_lists_extra_columns_and_suggests_merge_schema()
    {
        var table = Ddl("id BIGINT, s STRUCT<x: INT>");
        var data = Ddl("id BIGINT, s STRUCT<x: INT, y: STRING>, extra DOUBLE");

        var e = Assert.Throws<SchemaMismatchException>(() => SchemaMerger.EnsureCompatible(table, data));

        Assert.StartsWith(
            "A schema mismatch detected when writing to the Delta table: the data has columns the table does not have: s.y, extra. "
            + "To enable schema migration, set option mergeSchema to true",
            e.Message,
            StringComparison.Ordinal);
        Assert.Equal(["s.y", "extra"], e.Columns);
        Assert.Contains(
            "Table schema:\nroot\n |-- id: long (nullable = true)\n |-- s: struct (nullable = true)\n |    |-- x: integer (nullable = true)\n",
            e.Message,
            StringComparison.Ordinal);
        Assert.Contains(" |    |-- y: string (nullable = true)\n |-- extra: double (nullable = true)\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCompatible_reports_a_type_change()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => SchemaMerger.EnsureCompatible(Ddl("id BIGINT, v INT"), Ddl("id BIGINT, v STRING")));

        Assert.StartsWith(
            "A schema mismatch detected when writing to the Delta table: Failed to merge fields 'v' and 'v'. Failed to merge incompatible data types IntegerType and StringType",
            e.Message,
            StringComparison.Ordinal);
        Assert.Equal(["v"], e.Columns);
    }

    [Fact]
    public void EnsureCompatible_refuses_typing_a_void_table_column()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => SchemaMerger.EnsureCompatible(Ddl("v VOID"), Ddl("v INT")));

        Assert.Contains("column the table stores as void", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCompatible_refuses_leaving_out_a_not_null_column()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => SchemaMerger.EnsureCompatible(Ddl("id BIGINT NOT NULL, v INT"), Ddl("v INT")));

        Assert.Contains("the table's NOT NULL column is missing from the data: id.", e.Message, StringComparison.Ordinal);
        Assert.Equal(["id"], e.Columns);
    }

    [Fact]
    public void Tree_string_draws_arrays_and_maps_like_print_schema()
    {
        var schema = new StructType(
            new StructField("arr", new ArrayType(new StructType(new StructField("a", new DecimalType(10, 2), nullable: false)), ContainsNull: false)),
            new StructField("m", new MapType(StringType.Instance, TimestampNtzType.Instance)));

        Assert.Equal(
            "root\n"
            + " |-- arr: array (nullable = true)\n"
            + " |    |-- element: struct (containsNull = false)\n"
            + " |    |    |-- a: decimal(10,2) (nullable = false)\n"
            + " |-- m: map (nullable = true)\n"
            + " |    |-- key: string\n"
            + " |    |-- value: timestamp_ntz (valueContainsNull = true)\n",
            SchemaTreeString.Format(schema));
    }
}
