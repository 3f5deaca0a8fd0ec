using System.Buffers;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Storage.Delta.DeletionVectors;

/// <summary>Drops a file's deleted rows from one of its batches, column by column.</summary>
public static class DeletedRows
{
    /// <summary>
    /// <paramref name="batch"/> holds the file's rows from <paramref name="firstRow"/> on; <paramref name="deleted"/>
    /// is the file's sorted deleted row indexes. Returns the batch unchanged when none of its rows is deleted.
    /// </summary>
    public static RecordBatch Remove(RecordBatch batch, long firstRow, long[] deleted)
    {
        var endRow = firstRow + batch.Length;
        var from = LowerBound(deleted, firstRow);
        var to = LowerBound(deleted, endRow);
        if (from == to)
        {
            return batch;
        }

        var keptCount = batch.Length - (to - from);
        var kept = ArrayPool<int>.Shared.Rent(Math.Max(keptCount, 1));
        try
        {
            // Walk the rows and the deleted indexes together: the keep list is the gaps between deletions.
            var next = from;
            var n = 0;
            for (var row = 0; row < batch.Length; row++)
            {
                if (next < to && deleted[next] == firstRow + row)
                {
                    next++;
                    continue;
                }

                kept[n++] = row;
            }

            var rows = kept.AsSpan(0, keptCount);
            var columns = new IArrowArray[batch.ColumnCount];
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c] = Gather.Take(batch.Column(c), rows);
            }

            return new RecordBatch(batch.Schema, columns, keptCount);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(kept);
        }
    }

    private static int LowerBound(long[] sorted, long value)
    {
        var index = System.Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }
}
