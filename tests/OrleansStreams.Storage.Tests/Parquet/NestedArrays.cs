using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Storage.Tests.Parquet;

/// <summary>Builds Arrow map and list columns for tests (<see cref="Columns.FromScalars"/> builds structs and arrays of scalars, not maps).</summary>
internal static class NestedArrays
{
    /// <summary>A map column: each row is its entries, or null for a NULL map.</summary>
    public static MapArray Map(MapType type, IReadOnlyList<(object Key, object? Value)[]?> rows) =>
        Map(type, rows, Columns.FromScalars(type.ValueType, rows.SelectMany(r => r ?? []).Select(e => e.Value).ToList()));

    /// <summary>A map column whose values are the given column, in entry order.</summary>
    public static MapArray Map(MapType type, IReadOnlyList<(object Key, object? Value)[]?> rows, IArrowArray values)
    {
        var keys = Columns.FromScalars(type.KeyType, rows.SelectMany(r => r ?? []).Select(e => e.Key).ToList());
        var arrowType = (Apache.Arrow.Types.MapType)ArrowTypes.ToArrow(type);
        var entries = new StructArray(arrowType.KeyValueType, keys.Length, [keys, values], ArrowBuffer.Empty, 0);
        var (offsets, nulls) = Layout(rows.Select(r => r?.Length).ToList());
        return new MapArray(arrowType, rows.Count, offsets, entries, nulls.Build(), nulls.NullCount);
    }

    /// <summary>A list column over <paramref name="values"/>: each row takes the next <c>lengths[i]</c> values, or is NULL.</summary>
    public static ListArray List(ArrayType type, IReadOnlyList<int?> lengths, IArrowArray values)
    {
        var (offsets, nulls) = Layout(lengths);
        return new ListArray(ArrowTypes.ToArrow(type), lengths.Count, offsets, values, nulls.Build(), nulls.NullCount);
    }

    private static (ArrowBuffer Offsets, NullMask Nulls) Layout(IReadOnlyList<int?> lengths)
    {
        var offsets = new int[lengths.Count + 1];
        var nulls = new NullMask(lengths.Count);
        for (var i = 0; i < lengths.Count; i++)
        {
            offsets[i + 1] = offsets[i] + (lengths[i] ?? 0);
            if (lengths[i] is null)
            {
                nulls.SetNull(i);
            }
        }

        return (new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), nulls);
    }
}
