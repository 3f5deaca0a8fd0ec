using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>One leaf of a nested column as Parquet stores it: levels per entry and the dense non-null values.</summary>
internal sealed record ShreddedLeaf(int[] Definitions, int[] Repetitions, IArrowArray Values)
{
    public int EntryCount => Definitions.Length;
}

/// <summary>
/// Computes a leaf's Dremel levels from the Arrow column, a node at a time over whole arrays (the write side
/// of <see cref="ColumnAssembler"/>). Each entry holds its levels and the index of its value in the current
/// node's array, or -1 once it ended above the leaf (a NULL or an empty list: its definition level is then
/// final). A nullable node ends its NULL entries; a list or map replaces each entry by one per element,
/// the first keeping the entry's repetition level and the others taking the list's; a struct passes its
/// entries to the field on the path.
/// </summary>
internal static class ColumnShredder
{
    /// <summary>
    /// The leaf's levels over the parts of a row group, one after the other; the values are gathered from each
    /// part's leaf array into one.
    /// </summary>
    public static ShreddedLeaf Shred(IReadOnlyList<IArrowArray> parts, ParquetLeafColumn leaf, string columnName)
    {
        if (parts.Count == 1)
        {
            var (definitions, repetitions, valueRows, node) = ShredPart(parts[0], leaf, columnName);
            return new ShreddedLeaf(definitions, repetitions, Gather.Take(ArrowArrayFactory.BuildArray(node), valueRows));
        }

        var shredded = parts.Select(part => ShredPart(part, leaf, columnName)).ToList();
        var sources = shredded.Select(s => ArrowArrayFactory.BuildArray(s.Node)).ToList();
        var which = new int[shredded.Sum(s => s.ValueRows.Length)];
        var at = 0;
        for (var p = 0; p < shredded.Count; p++)
        {
            which.AsSpan(at, shredded[p].ValueRows.Length).Fill(p);
            at += shredded[p].ValueRows.Length;
        }

        var values = which.Length == 0 ? Gather.Take(sources[0], []) : Gather.Pick(sources, which, Join(shredded.Select(s => s.ValueRows)));
        return new ShreddedLeaf(Join(shredded.Select(s => s.Definitions)), Join(shredded.Select(s => s.Repetitions)), values);
    }

    private static int[] Join(IEnumerable<int[]> arrays)
    {
        var list = arrays.ToList();
        var joined = new int[list.Sum(a => a.Length)];
        var at = 0;
        foreach (var array in list)
        {
            array.CopyTo(joined, at);
            at += array.Length;
        }

        return joined;
    }

    private static (int[] Definitions, int[] Repetitions, int[] ValueRows, ArrayData Node) ShredPart(IArrowArray column, ParquetLeafColumn leaf, string columnName)
    {
        var n = column.Length;
        var index = new int[n];
        for (var i = 0; i < n; i++)
        {
            index[i] = i;
        }

        var definitions = new int[n];
        var repetitions = new int[n];
        var node = column.Data;
        var definition = 0;
        var repetition = 0;
        foreach (var step in leaf.Steps)
        {
            if (step.Nullable)
            {
                EndNulls(node, index, definitions, definition);
                definition++;
            }
            else
            {
                RefuseNulls(node, index, leaf, columnName);
            }

            switch (step.Kind)
            {
                case ShredStepKind.Struct:
                    Shift(index, node.Offset);
                    node = node.Children[step.Child];
                    break;
                case ShredStepKind.List or ShredStepKind.Map:
                    repetition++;
                    (index, definitions, repetitions) = Expand(node, index, definitions, repetitions, definition, repetition);
                    definition++;
                    node = node.Children[0];
                    if (step.Kind == ShredStepKind.Map)
                    {
                        Shift(index, node.Offset); // the key/value entries struct, never NULL
                        node = node.Children[step.Child];
                    }

                    break;
                case ShredStepKind.Leaf:
                    break;
            }
        }

        var valueRows = new int[CountLive(index)];
        var v = 0;
        for (var e = 0; e < index.Length; e++)
        {
            if (index[e] >= 0)
            {
                definitions[e] = definition;
                valueRows[v++] = index[e];
            }
        }

        return (definitions, leaf.MaxRepetitionLevel > 0 ? repetitions : [], valueRows, node);
    }

    private static bool IsNull(ArrayData node, int i) =>
        node.NullCount != 0 && !node.Buffers[0].IsEmpty && !BitUtility.GetBit(node.Buffers[0].Span, node.Offset + i);

    private static void EndNulls(ArrayData node, int[] index, int[] definitions, int definition)
    {
        if (node.NullCount == 0 || node.Buffers[0].IsEmpty)
        {
            return;
        }

        for (var e = 0; e < index.Length; e++)
        {
            if (index[e] >= 0 && IsNull(node, index[e]))
            {
                index[e] = -1;
                definitions[e] = definition;
            }
        }
    }

    private static void RefuseNulls(ArrayData node, int[] index, ParquetLeafColumn leaf, string columnName)
    {
        if (node.NullCount == 0 || node.Buffers[0].IsEmpty)
        {
            return;
        }

        foreach (var i in index)
        {
            if (i >= 0 && IsNull(node, i))
            {
                throw new InvalidOperationException(
                    $"Column {StructType.QuoteIdentifier(columnName)} has a NULL where its type allows none (on the way to Parquet leaf {leaf.DisplayPath})");
            }
        }
    }

    /// <summary>Struct children are indexed with their parent's offset.</summary>
    private static void Shift(int[] index, int offset)
    {
        if (offset == 0)
        {
            return;
        }

        for (var e = 0; e < index.Length; e++)
        {
            if (index[e] >= 0)
            {
                index[e] += offset;
            }
        }
    }

    /// <summary>One entry per element of each live list (an empty list ends its entry at <paramref name="definition"/>).</summary>
    private static (int[] Index, int[] Definitions, int[] Repetitions) Expand(
        ArrayData node, int[] index, int[] definitions, int[] repetitions, int definition, int repetition)
    {
        var offsets = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(node.Buffers[1].Span)[node.Offset..];
        var count = 0;
        for (var e = 0; e < index.Length; e++)
        {
            count += index[e] < 0 ? 1 : Math.Max(1, offsets[index[e] + 1] - offsets[index[e]]);
        }

        var outIndex = new int[count];
        var outDefinitions = new int[count];
        var outRepetitions = new int[count];
        var at = 0;
        for (var e = 0; e < index.Length; e++)
        {
            var i = index[e];
            var start = i < 0 ? 0 : offsets[i];
            var end = i < 0 ? 0 : offsets[i + 1];
            if (start == end)
            {
                outIndex[at] = -1;
                outDefinitions[at] = i < 0 ? definitions[e] : definition;
                outRepetitions[at++] = repetitions[e];
                continue;
            }

            for (var j = start; j < end; j++, at++)
            {
                outIndex[at] = j;
                outRepetitions[at] = j == start ? repetitions[e] : repetition;
            }
        }

        return (outIndex, outDefinitions, outRepetitions);
    }

    private static int CountLive(int[] index)
    {
        var live = 0;
        foreach (var i in index)
        {
            live += i >= 0 ? 1 : 0;
        }

        return live;
    }
}
