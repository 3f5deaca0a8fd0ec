using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Bench;

/// <summary>
/// One column of each flat type our writer handles (nested ones left out: Parquet.Net would need its levels built by
/// hand), every column with some nulls, in batches of 65,536 rows. Values follow from the row number.
/// </summary>
internal static class AllTypesBatches
{
    public const int BatchRows = 65_536;

    public static readonly StructType Schema = DdlParser.ParseSchema(
        "flag BOOLEAN, tiny TINYINT, small SMALLINT, id INT, big BIGINT, ratio FLOAT, amount DOUBLE, price DECIMAL(12,2), " +
        "day DATE, at TIMESTAMP, local_at TIMESTAMP_NTZ, name STRING, payload BINARY");

    public static IReadOnlyList<RecordBatch> Generate(int rows)
    {
        var arrowSchema = ArrowTypes.ToArrowSchema(Schema);
        var batches = new List<RecordBatch>();
        for (var first = 0; first < rows; first += BatchRows)
        {
            var count = Math.Min(BatchRows, rows - first);
            var columns = Schema.Fields.Select((field, c) => Columns.FromScalars(field.Type,
                Enumerable.Range(first, count).Select(row => (row + c) % 10 == 0 ? null : Value(c, row)).ToList()));
            batches.Add(new RecordBatch(arrowSchema, columns, count));
        }

        return batches;
    }

    /// <summary>Column <paramref name="column"/>'s value at <paramref name="row"/>, as the engine's scalar of its type.</summary>
    private static object Value(int column, long row) => column switch
    {
        0 => row % 3 == 0,
        1 => (sbyte)(row % 256 - 128),
        2 => (short)(row % 40_000 - 20_000),
        3 => (int)(row * 7),
        4 => row * 1_000_003,
        5 => row / 7f,
        6 => row * 0.25,
        7 => (row % 1_000_000) / 100m,
        8 => (int)(18_000 + (row % 3_000)),
        9 => 1_640_995_200_000_000L + (row * 1_000_001),
        10 => 1_640_995_200_000_000L - (row * 999),
        11 => $"name-{row % 5_000}-ü",
        _ => System.Text.Encoding.UTF8.GetBytes($"payload {row}"),
    };
}
