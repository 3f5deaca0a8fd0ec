using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Runtime.Tests;

internal static class RecordBatches
{
    public static RecordBatch Of(StructType schema, IReadOnlyList<object?[]> rows) =>
        new(ArrowTypes.ToArrowSchema(schema), schema.Fields.Select((f, c) => Columns.FromScalars(f.Type, rows.Select(r => r[c]).ToList())), rows.Count);
}
