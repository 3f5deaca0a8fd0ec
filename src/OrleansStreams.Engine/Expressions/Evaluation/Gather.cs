using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace OrleansStreams.Engine.Expressions.Evaluation;

/// <summary>
/// Builds a column by picking rows out of one or more same-typed source columns: Filter takes
/// the selected rows of one column, CASE and COALESCE pick, per row, the branch that applies.
/// Copies are columnar, by physical layout (fixed-width, bits, variable-length, struct, list, map).
/// </summary>
public static class Gather
{
    /// <summary>Takes <paramref name="rows"/> of <paramref name="source"/>, in order.</summary>
    public static IArrowArray Take(IArrowArray source, ReadOnlySpan<int> rows)
    {
        var sources = new int[rows.Length];
        return Pick([source], sources, rows);
    }

    /// <summary>
    /// Row <c>i</c> of the result is row <c>rows[i]</c> of <c>sources[which[i]]</c>, or NULL when <c>which[i]</c> is negative.
    /// </summary>
    public static IArrowArray Pick(IReadOnlyList<IArrowArray> sources, ReadOnlySpan<int> which, ReadOnlySpan<int> rows)
    {
        var type = sources[0].Data.DataType;
        var n = which.Length;
        var nulls = new NullMask(n);
        for (var i = 0; i < n; i++)
        {
            if (which[i] < 0 || sources[which[i]].IsNull(rows[i]))
            {
                nulls.SetNull(i);
            }
        }

        switch (type)
        {
            case NullType:
                return new NullArray(n);
            case BooleanType:
                return PickBits(sources, which, rows, nulls);
            case BinaryType or StringType:
                return PickVariable(sources, which, rows, nulls, type);
            case FixedWidthType fixedWidth:
                return PickFixed(sources, which, rows, nulls, type, fixedWidth.BitWidth / 8);
            case Apache.Arrow.Types.StructType st:
                var children = new List<ArrayData>();
                for (var f = 0; f < st.Fields.Count; f++)
                {
                    var field = f;
                    // Arrow slices a struct's fields with it: a field's row i is the struct's row i.
                    var childSources = sources.Select(s => ((StructArray)s).Fields[field]).ToList();
                    var childRows = new int[n];
                    for (var i = 0; i < n; i++)
                    {
                        childRows[i] = which[i] < 0 ? 0 : rows[i];
                    }

                    children.Add(Pick(childSources, which, childRows).Data);
                }

                return ArrowArrayFactory.BuildArray(new ArrayData(type, n, nulls.NullCount, 0, [nulls.Build()], children));
            case ListType or MapType: // a map is a list of key/value structs
                return PickList(sources, which, rows, nulls, type);
            default:
                throw new NotSupportedException($"copying rows of Arrow type {type.Name} is not supported");
        }
    }

    private static IArrowArray PickFixed(IReadOnlyList<IArrowArray> sources, ReadOnlySpan<int> which, ReadOnlySpan<int> rows, NullMask nulls, IArrowType type, int width)
    {
        var n = which.Length;
        var bytes = new byte[n * width];
        switch (width)
        {
            case 8:
                PickTyped<long>(sources, which, rows, bytes);
                break;
            case 4:
                PickTyped<int>(sources, which, rows, bytes);
                break;
            case 16:
                PickTyped<Int128>(sources, which, rows, bytes);
                break;
            case 2:
                PickTyped<short>(sources, which, rows, bytes);
                break;
            case 1:
                PickTyped<byte>(sources, which, rows, bytes);
                break;
            default:
                for (var i = 0; i < n; i++)
                {
                    if (which[i] >= 0)
                    {
                        var data = sources[which[i]].Data;
                        data.Buffers[1].Span.Slice((data.Offset + rows[i]) * width, width).CopyTo(bytes.AsSpan(i * width, width));
                    }
                }

                break;
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, n, nulls.NullCount, 0, [nulls.Build(), new ArrowBuffer(bytes)]));
    }

    /// <summary>Copies values a typed element at a time, each source's values span taken once.</summary>
    private static void PickTyped<T>(IReadOnlyList<IArrowArray> sources, ReadOnlySpan<int> which, ReadOnlySpan<int> rows, byte[] output)
        where T : unmanaged
    {
        var spans = new ReadOnlyMemory<byte>[sources.Count];
        var offsets = new int[sources.Count];
        for (var s = 0; s < sources.Count; s++)
        {
            spans[s] = sources[s].Data.Buffers[1].Memory;
            offsets[s] = sources[s].Data.Offset;
        }

        var values = MemoryMarshal.Cast<byte, T>(output.AsSpan());
        var current = -1;
        ReadOnlySpan<T> source = default;
        for (var i = 0; i < values.Length; i++)
        {
            var w = which[i];
            if (w < 0)
            {
                continue;
            }

            if (w != current)
            {
                current = w;
                source = MemoryMarshal.Cast<byte, T>(spans[w].Span)[offsets[w]..];
            }

            values[i] = source[rows[i]];
        }
    }

    private static IArrowArray PickBits(IReadOnlyList<IArrowArray> sources, ReadOnlySpan<int> which, ReadOnlySpan<int> rows, NullMask nulls)
    {
        var n = which.Length;
        var bits = new byte[(n + 7) / 8];
        for (var i = 0; i < n; i++)
        {
            if (which[i] >= 0)
            {
                var data = sources[which[i]].Data;
                if (BitUtility.GetBit(data.Buffers[1].Span, data.Offset + rows[i]))
                {
                    BitUtility.SetBit(bits, i);
                }
            }
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(BooleanType.Default, n, nulls.NullCount, 0, [nulls.Build(), new ArrowBuffer(bits)]));
    }

    private static IArrowArray PickVariable(IReadOnlyList<IArrowArray> sources, ReadOnlySpan<int> which, ReadOnlySpan<int> rows, NullMask nulls, IArrowType type)
    {
        // The value bytes are counted first, so the data buffer is allocated once at its size.
        var n = which.Length;
        var binaries = sources.Select(s => (BinaryArray)s).ToArray();
        long size = 0;
        for (var i = 0; i < n; i++)
        {
            if (which[i] >= 0)
            {
                size += binaries[which[i]].GetValueLength(rows[i]);
            }
        }

        var offsets = new byte[(n + 1) * sizeof(int)];
        var outOffsets = MemoryMarshal.Cast<byte, int>(offsets.AsSpan());
        var data = new byte[checked((int)size)];
        var used = 0;
        for (var i = 0; i < n; i++)
        {
            if (which[i] >= 0)
            {
                var bytes = binaries[which[i]].GetBytes(rows[i]);
                bytes.CopyTo(data.AsSpan(used));
                used += bytes.Length;
            }

            outOffsets[i + 1] = used;
        }

        return ArrowArrayFactory.BuildArray(new ArrayData(type, n, nulls.NullCount, 0, [nulls.Build(), new ArrowBuffer(offsets), new ArrowBuffer(data)]));
    }

    private static IArrowArray PickList(IReadOnlyList<IArrowArray> sources, ReadOnlySpan<int> which, ReadOnlySpan<int> rows, NullMask nulls, IArrowType type)
    {
        var n = which.Length;
        var offsets = new byte[(n + 1) * sizeof(int)];
        var outOffsets = MemoryMarshal.Cast<byte, int>(offsets.AsSpan());
        var childWhich = new List<int>();
        var childRows = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (which[i] >= 0 && !sources[which[i]].IsNull(rows[i]))
            {
                var list = (ListArray)sources[which[i]];
                var start = list.ValueOffsets[rows[i]];
                var end = list.ValueOffsets[rows[i] + 1];
                for (var j = start; j < end; j++)
                {
                    childWhich.Add(which[i]);
                    childRows.Add(j);
                }
            }

            outOffsets[i + 1] = childRows.Count;
        }

        var values = Pick(sources.Select(s => ((ListArray)s).Values).ToList(), CollectionsMarshal.AsSpan(childWhich), CollectionsMarshal.AsSpan(childRows));
        return ArrowArrayFactory.BuildArray(new ArrayData(type, n, nulls.NullCount, 0, [nulls.Build(), new ArrowBuffer(offsets)], [values.Data]));
    }
}
