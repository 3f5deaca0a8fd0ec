using Apache.Arrow;

namespace OrleansStreams.Storage.Parquet;

/// <summary>A run of rows across consecutive batches, as slices of those batches (no row is copied).</summary>
internal static class BatchSlices
{
    public static long Rows(IReadOnlyList<RecordBatch> batches)
    {
        long rows = 0;
        foreach (var batch in batches)
        {
            rows += batch.Length;
        }

        return rows;
    }

    /// <summary>
    /// Rows <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> of the batches read one
    /// after the other: whole batches as they are, the ends sliced; empty batches are left out.
    /// </summary>
    public static List<RecordBatch> Take(IReadOnlyList<RecordBatch> batches, long offset, long count)
    {
        var slices = new List<RecordBatch>();
        long first = 0;
        foreach (var batch in batches)
        {
            var start = Math.Max(offset, first);
            var end = Math.Min(offset + count, first + batch.Length);
            if (start < end)
            {
                slices.Add(start == first && end - start == batch.Length ? batch : batch.Slice((int)(start - first), (int)(end - start)));
            }

            first += batch.Length;
            if (first >= offset + count)
            {
                break;
            }
        }

        return slices;
    }
}
