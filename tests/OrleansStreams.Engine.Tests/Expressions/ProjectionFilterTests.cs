using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

public class ProjectionFilterTests
{
    private static readonly StructType Schema = new(
        new StructField("id", LongType.Instance, nullable: false),
        new StructField("name", StringType.Instance),
        new StructField("price", new DecimalType(10, 2)),
        new StructField("day", DateType.Instance),
        new StructField("ts", TimestampType.Instance),
        new StructField("ok", BooleanType.Instance),
        new StructField("raw", BinaryType.Instance),
        new StructField("f", FloatType.Instance),
        new StructField("s", new StructType(new StructField("x", IntegerType.Instance))));

    private static RecordBatch Rows() => Batch(
        Schema,
        [1L, "a", 1.25m, 1, 10L, true, new byte[] { 1 }, 1.5f, new object?[] { 10 }],
        [2L, null, null, null, null, null, null, null, null],
        [3L, "ccc", 3.50m, 3, 30L, false, new byte[] { 3, 3 }, 3.5f, new object?[] { 30 }],
        [4L, "dd", 4.00m, 4, 40L, true, new byte[0], -4f, new object?[] { null }]);

    [Fact]
    public void Filter_keeps_true_rows_of_every_column_type()
    {
        var filter = Filter.Bind(Bin(BinaryOperator.Or, Col("ok"), Bin(BinaryOperator.GreaterThan, Col("id"), Lit(3))), Schema);
        var result = filter.Evaluate(Rows());
        Assert.Equal(2, result.Length);
        var rows = Enumerable.Range(0, result.Length).Select(r => Enumerable.Range(0, result.ColumnCount).Select(c => Columns.GetScalar(result.Column(c), r)).ToArray()).ToArray();
        Assert.Equal(new object?[] { 1L, "a", 1.25m, 1, 10L, true, new byte[] { 1 }, 1.5f, new object?[] { 10 } }, rows[0]);
        Assert.Equal(new object?[] { 4L, "dd", 4.00m, 4, 40L, true, System.Array.Empty<byte>(), -4f, new object?[] { null } }, rows[1]);
    }

    [Fact]
    public void Filter_treats_null_as_false_and_an_all_null_predicate_keeps_nothing()
    {
        Assert.Equal(new long[] { 1, 3, 4 }, Ids(Filter.Bind(new IsNullExpression(Col("name"), Negated: true), Schema).Evaluate(Rows())));
        Assert.Equal(0, Filter.Bind(Bin(BinaryOperator.Equal, Col("name"), Lit(null)), Schema).Evaluate(Rows()).Length);
    }

    [Fact]
    public void Projection_names_columns_like_spark_and_builds_the_output_schema()
    {
        var projection = Projection.Bind(
            [Col("id"), new Alias(Bin(BinaryOperator.Multiply, Col("price"), Lit(2)), "double_price"), Fn("upper", Col("name")), Col("s", "x")],
            Schema);
        Assert.Equal(["id", "double_price", "upper(name)", "x"], projection.OutputSchema.FieldNames);
        Assert.False(projection.OutputSchema[0].Nullable);
        var batch = projection.Evaluate(Rows());
        Assert.Equal(ArrowTypes.ToArrowSchema(projection.OutputSchema).FieldsList.Select(f => f.DataType.TypeId), batch.Schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal([2.50m, null, 7.00m, 8.00m], Enumerable.Range(0, 4).Select(i => Columns.GetScalar(batch.Column(1), i)));
        Assert.Equal(["A", null, "CCC", "DD"], Enumerable.Range(0, 4).Select(i => Columns.GetScalar(batch.Column(2), i)));
    }

    [Fact]
    public void A_million_rows_evaluate_correctly()
    {
        const int n = 1_000_000;
        var schema = new StructType(new StructField("ts", TimestampType.Instance), new StructField("v", IntegerType.Instance));
        var ts = new PrimitiveColumn<long>(n);
        var v = new PrimitiveColumn<int>(n);
        for (var i = 0; i < n; i++)
        {
            ts.Values[i] = i * 3_600_000_000L * 7; // every 7 hours from 1970
            v.Values[i] = i;
            if (i % 10 == 0)
            {
                v.SetNull(i);
            }
        }

        var batch = new RecordBatch(ArrowTypes.ToArrowSchema(schema), [ts.Build(ArrowTypes.ToArrow(TimestampType.Instance)), v.Build(Apache.Arrow.Types.Int32Type.Default)], n);
        var projection = Projection.Bind([Fn("date_format", Col("ts"), Lit("yyyy-MM")), Bin(BinaryOperator.Modulo, Col("v"), Lit(7))], schema);
        var result = projection.Evaluate(batch);
        var months = (StringArray)result.Column(0);
        var mods = (Int32Array)result.Column(1);
        for (var i = 0; i < n; i += 9_973)
        {
            var expected = DateTime.UnixEpoch.AddHours(i * 7.0);
            Assert.Equal($"{expected.Year:D4}-{expected.Month:D2}", months.GetString(i));
            Assert.Equal(i % 10 == 0 ? null : i % 7, mods.GetValue(i));
        }

        var filtered = Filter.Bind(Bin(BinaryOperator.Equal, Bin(BinaryOperator.Modulo, Col("v"), Lit(7)), Lit(0)), schema).Evaluate(batch);
        Assert.Equal(Enumerable.Range(0, n).Count(i => i % 10 != 0 && i % 7 == 0), filtered.Length);
    }

    private static long[] Ids(RecordBatch batch) => Enumerable.Range(0, batch.Length).Select(i => (long)Columns.GetScalar(batch.Column(0), i)!).ToArray();
}
