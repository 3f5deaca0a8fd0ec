using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>Joins batches of one schema into a single batch, column by column.</summary>
public static class BatchConcat
{
    public static RecordBatch Concat(StructType schema, IReadOnlyList<RecordBatch> batches)
    {
        var arrowSchema = ArrowTypes.ToArrowSchema(schema);
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var total = batches.Sum(b => b.Length);
        var which = new int[total];
        var rows = new int[total];
        var at = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            for (var r = 0; r < batches[b].Length; r++, at++)
            {
                which[at] = b;
                rows[at] = r;
            }
        }

        if (batches.Count == 0)
        {
            return new RecordBatch(arrowSchema, schema.Fields.Select(f => Columns.AllNull(f.Type, 0)), 0);
        }

        var columns = Enumerable.Range(0, schema.Count)
            .Select(c => Gather.Pick(batches.Select(b => b.Column(c)).ToList(), which, rows));
        return new RecordBatch(arrowSchema, columns, total);
    }
}
