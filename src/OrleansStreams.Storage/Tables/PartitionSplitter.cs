using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Storage.Tables;

/// <summary>The rows of a batch that share one combination of partition values.</summary>
/// <param name="Values">The partition values as engine scalars, in partition-column order (null for NULL).</param>
/// <param name="Rows">The row indexes, ascending.</param>
public sealed record PartitionGroup(IReadOnlyList<object?> Values, int[] Rows);

/// <summary>
/// Splits a batch by its partition columns, a column at a time: each partition column is
/// dictionary-encoded, the codes are combined into one dense group id per row, and a counting sort
/// lays out the row indexes of each group. No object is allocated per row for string and integer keys.
/// </summary>
public static class PartitionSplitter
{
    private const int DirectLimit = 1 << 16;

    public static IReadOnlyList<PartitionGroup> Split(RecordBatch batch, IReadOnlyList<int> partitionOrdinals)
    {
        var n = batch.Length;
        if (partitionOrdinals.Count == 0)
        {
            return [new PartitionGroup([], Enumerable.Range(0, n).ToArray())];
        }

        var groupIds = new int[n];
        var groupCount = 1;
        var columnCodes = new int[n];
        foreach (var ordinal in partitionOrdinals)
        {
            var distinct = ColumnCodes.Encode(batch.Column(ordinal), columnCodes).Count;

            // Combine (group so far, this column's code) and renumber densely so ids stay below n: through a
            // direct table while the combinations are few (the usual case), else a dictionary.
            var combinations = (long)groupCount * distinct;
            if (combinations <= DirectLimit)
            {
                var ids = new int[combinations];
                var next = 0;
                for (var row = 0; row < n; row++)
                {
                    ref var id = ref ids[(groupIds[row] * distinct) + columnCodes[row]];
                    if (id == 0)
                    {
                        id = ++next;
                    }

                    groupIds[row] = id - 1;
                }

                groupCount = next;
                continue;
            }

            var combined = new Dictionary<long, int>();
            for (var row = 0; row < n; row++)
            {
                var key = ((long)groupIds[row] * distinct) + columnCodes[row];
                if (!combined.TryGetValue(key, out var id))
                {
                    id = combined[key] = combined.Count;
                }

                groupIds[row] = id;
            }

            groupCount = combined.Count;
        }

        return Group(batch, partitionOrdinals, groupIds, groupCount);
    }

    private static List<PartitionGroup> Group(RecordBatch batch, IReadOnlyList<int> partitionOrdinals, int[] groupIds, int groupCount)
    {
        var sizes = new int[groupCount];
        var firstRow = new int[groupCount];
        System.Array.Fill(firstRow, -1);
        for (var row = 0; row < groupIds.Length; row++)
        {
            var id = groupIds[row];
            if (sizes[id]++ == 0)
            {
                firstRow[id] = row;
            }
        }

        var rows = new int[groupCount][];
        for (var id = 0; id < groupCount; id++)
        {
            rows[id] = new int[sizes[id]];
        }

        var filled = new int[groupCount];
        for (var row = 0; row < groupIds.Length; row++)
        {
            var id = groupIds[row];
            rows[id][filled[id]++] = row;
        }

        var groups = new List<PartitionGroup>(groupCount);
        for (var id = 0; id < groupCount; id++)
        {
            var values = partitionOrdinals.Select(o => Columns.GetScalar(batch.Column(o), firstRow[id])).ToArray();
            groups.Add(new PartitionGroup(values, rows[id]));
        }

        return groups;
    }
}
