using Apache.Arrow;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using static OrleansStreams.Engine.Tests.Expressions.ExprTestKit;

namespace OrleansStreams.Engine.Tests.Expressions;

/// <summary>
/// A slice of a batch with a struct column: Arrow slices a struct's fields with it, so the struct's row i is its fields'
/// row i. Whatever reads a sliced struct (scalars, gathers, concatenation, hash, to_json) sees the slice's own rows.
/// </summary>
public class SlicedStructTests
{
    private static readonly StructType Schema = DdlParser.ParseSchema("id BIGINT, s STRUCT<a: BIGINT, b: STRING>");

    private static readonly object?[][] Rows = Enumerable.Range(0, 6).Select(i => new object?[] { (long)i, new object?[] { i * 10L, $"b{i}" } }).ToArray();

    /// <summary>Rows 2..4 of the batch, as a slice (offset 2).</summary>
    private static RecordBatch Sliced() => Batch(Schema, Rows).Slice(2, 3);

    private static RecordBatch Copied() => Batch(Schema, Rows[2..5]);

    [Fact]
    public void A_sliced_struct_reads_the_slices_rows()
    {
        var column = Sliced().Column(1);
        Assert.Equal([20L, "b2"], (object?[])Columns.GetScalar(column, 0)!);
        Assert.Equal([40L, "b4"], (object?[])Columns.GetScalar(column, 2)!);
    }

    [Fact]
    public void Taking_and_concatenating_sliced_structs_keeps_their_rows()
    {
        var taken = Gather.Take(Sliced().Column(1), [2, 0]);
        Assert.Equal([40L, "b4"], (object?[])Columns.GetScalar(taken, 0)!);
        Assert.Equal([20L, "b2"], (object?[])Columns.GetScalar(taken, 1)!);

        var joined = BatchConcat.Concat(Schema, [Sliced(), Batch(Schema, Rows).Slice(0, 1)]);
        Assert.Equal([[20L, "b2"], [30L, "b3"], [40L, "b4"], [0L, "b0"]], Enumerable.Range(0, 4).Select(i => (object?[])Columns.GetScalar(joined.Column(1), i)!));
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("to_json")]
    public void Functions_of_a_sliced_struct_equal_those_of_the_same_rows_unsliced(string function)
    {
        var expression = Fn(function, Col("s"));
        Assert.Equal(Eval(expression, Copied()), Eval(expression, Sliced()));
    }
}
