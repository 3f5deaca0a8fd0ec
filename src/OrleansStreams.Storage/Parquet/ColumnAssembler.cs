using Apache.Arrow;
using Apache.Arrow.Types;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using PqSchema = Parquet.Schema;
using SparkTypes = OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Parquet;

/// <summary>
/// Rebuilds Arrow columns from Parquet leaves (Dremel levels). Each node of the Spark type is
/// given, per leaf below it, the entry where each of its values starts ("slots"): a struct passes
/// its slots to its children; a list or map finds its elements' slots from the repetition levels;
/// a leaf reads its value where the definition level is full and is null elsewhere.
/// </summary>
internal sealed class ColumnAssembler(IReadOnlyDictionary<PqSchema.DataField, ParquetLeaf> leaves, ParquetFieldResolver resolver)
{
    public IArrowArray Assemble(SparkTypes.DataType type, PqSchema.Field field, IReadOnlyDictionary<PqSchema.DataField, int[]> slots) => (type, field) switch
    {
        (SparkTypes.StructType st, PqSchema.StructField sf) => AssembleStruct(st, sf, slots),
        (SparkTypes.ArrayType at, PqSchema.ListField lf) => AssembleList(at, lf, slots),
        (SparkTypes.MapType mt, PqSchema.MapField mf) => AssembleMap(mt, mf, slots),
        (_, PqSchema.DataField df) => AssembleLeaf(type, leaves[df], slots[df]),
        _ => throw new NotSupportedException($"Parquet field {field.Path} ({field.GetType().Name}) cannot be read as {type.SimpleString}"),
    };

    /// <summary>The leaves under a field, in schema order.</summary>
    public static IEnumerable<PqSchema.DataField> LeavesOf(PqSchema.Field field) => field switch
    {
        PqSchema.DataField d => [d],
        PqSchema.StructField s => s.Fields.SelectMany(LeavesOf),
        PqSchema.ListField l => LeavesOf(l.Item),
        PqSchema.MapField m => LeavesOf(m.Key).Concat(LeavesOf(m.Value)),
        _ => [],
    };

    private IArrowArray AssembleStruct(SparkTypes.StructType type, PqSchema.StructField field, IReadOnlyDictionary<PqSchema.DataField, int[]> slots)
    {
        var (leaf, leafSlots) = First(field, slots);
        var n = leafSlots.Length;
        var nulls = new NullMask(n);
        for (var i = 0; i < n; i++)
        {
            if (leaf.Definitions[leafSlots[i]] < field.MaxDefinitionLevel)
            {
                nulls.SetNull(i);
            }
        }

        var children = new List<IArrowArray>();
        foreach (var child in type.Fields)
        {
            var pqChild = resolver.Find(child, field.Fields);
            children.Add(pqChild is null ? Columns.AllNull(child.Type, n) : Assemble(child.Type, pqChild, slots));
        }

        var arrowType = (Apache.Arrow.Types.StructType)ArrowTypes.ToArrow(type);
        return new StructArray(arrowType, n, children, nulls.Build(), nulls.NullCount);
    }

    private IArrowArray AssembleList(SparkTypes.ArrayType type, PqSchema.ListField field, IReadOnlyDictionary<PqSchema.DataField, int[]> slots)
    {
        var (offsets, nulls, elementSlots) = Elements(field, slots);
        var values = Assemble(type.ElementType, field.Item, elementSlots);
        var arrowType = ArrowTypes.ToArrow(type);
        return new ListArray(arrowType, offsets.Length - 1, new ArrowBuffer.Builder<int>().AppendRange(offsets).Build(), values, nulls.Build(), nulls.NullCount);
    }

    private IArrowArray AssembleMap(SparkTypes.MapType type, PqSchema.MapField field, IReadOnlyDictionary<PqSchema.DataField, int[]> slots)
    {
        var (offsets, nulls, entrySlots) = Elements(field, slots);
        var keys = Assemble(type.KeyType, field.Key, entrySlots);
        var values = Assemble(type.ValueType, field.Value, entrySlots);
        var arrowType = (MapType)ArrowTypes.ToArrow(type);
        var entries = new StructArray(arrowType.KeyValueType, keys.Length, [keys, values], ArrowBuffer.Empty, 0);
        return new MapArray(arrowType, offsets.Length - 1, new ArrowBuffer.Builder<int>().AppendRange(offsets).Build(), entries, nulls.Build(), nulls.NullCount);
    }

    /// <summary>
    /// For a list or map: per slot, null / empty / its element entries. An element continues the
    /// current list while the repetition level is at least the element's (deeper repeats stay inside it).
    /// </summary>
    private (int[] Offsets, NullMask Nulls, Dictionary<PqSchema.DataField, int[]> ElementSlots) Elements(
        PqSchema.Field container, IReadOnlyDictionary<PqSchema.DataField, int[]> slots)
    {
        // Parquet.Net gives a list or map the levels of its repeated group. An entry at that definition level
        // (or deeper) holds an element; one below it is an empty container, and anything lower a NULL one.
        // (The element's own levels would be wrong here when it is itself a list or map: they count its repeated group.)
        var elementRepetition = container.MaxRepetitionLevel;
        var elementLevel = container.MaxDefinitionLevel;
        int[]? offsets = null;
        NullMask? nulls = null;
        var elementSlots = new Dictionary<PqSchema.DataField, int[]>();
        foreach (var (df, starts) in slots.Where(s => LeavesOf(container).Contains(s.Key)))
        {
            var leaf = leaves[df];
            var entries = new List<int>();
            var leafOffsets = new int[starts.Length + 1];
            var leafNulls = new NullMask(starts.Length);
            for (var i = 0; i < starts.Length; i++)
            {
                var e = starts[i];
                var def = leaf.Definitions[e];
                if (def < elementLevel - 1)
                {
                    leafNulls.SetNull(i);
                }
                else if (def >= elementLevel)
                {
                    // Non-empty: this entry and the following ones at the element's repetition level.
                    entries.Add(e);
                    for (var next = e + 1; next < leaf.EntryCount && leaf.Repetitions[next] >= elementRepetition; next++)
                    {
                        if (leaf.Repetitions[next] == elementRepetition)
                        {
                            entries.Add(next);
                        }
                    }
                }

                leafOffsets[i + 1] = entries.Count;
            }

            elementSlots[df] = entries.ToArray();
            offsets ??= leafOffsets;
            nulls ??= leafNulls;
        }

        return (offsets ?? [0], nulls ?? new NullMask(0), elementSlots);
    }

    private (ParquetLeaf Leaf, int[] Slots) First(PqSchema.Field field, IReadOnlyDictionary<PqSchema.DataField, int[]> slots)
    {
        var df = LeavesOf(field).First(slots.ContainsKey);
        return (leaves[df], slots[df]);
    }

    private static IArrowArray AssembleLeaf(SparkTypes.DataType type, ParquetLeaf leaf, int[] slots) =>
        LeafColumns.Build(type, leaf, slots);
}
