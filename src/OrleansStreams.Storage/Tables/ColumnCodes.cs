using System.Runtime.InteropServices;
using Apache.Arrow;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions.Evaluation;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Dictionary-encodes one column: each row gets the dense code of its value (0, 1, 2, … in order of
/// first appearance) and each code keeps one sample row. Strings and integers are hashed from the
/// Arrow buffers without allocating per row; other types (rare as partition columns) box per row.
/// </summary>
internal static class ColumnCodes
{
    /// <summary>Fills <paramref name="codes"/> and returns, per code, the first row that has it.</summary>
    public static List<int> Encode(IArrowArray column, Span<int> codes)
    {
        return column switch
        {
            StringArray or BinaryArray => EncodeBytes((BinaryArray)column, codes),
            Int8Array => EncodeFixed<sbyte>(column, codes),
            Int16Array => EncodeFixed<short>(column, codes),
            Int32Array or Date32Array => EncodeFixed<int>(column, codes),
            Int64Array or TimestampArray => EncodeFixed<long>(column, codes),
            _ => EncodeScalars(column, codes),
        };
    }

    private static List<int> EncodeBytes(BinaryArray column, Span<int> codes)
    {
        var samples = new List<int>();
        var lookup = new Dictionary<byte[], int>(ByteArrayComparer.Instance).GetAlternateLookup<ReadOnlySpan<byte>>();
        var nullCode = -1;
        for (var row = 0; row < column.Length; row++)
        {
            if (column.IsNull(row))
            {
                codes[row] = nullCode >= 0 ? nullCode : nullCode = NewCode(samples, row);
                continue;
            }

            var bytes = column.GetBytes(row);
            if (!lookup.TryGetValue(bytes, out var code))
            {
                code = NewCode(samples, row);
                lookup[bytes] = code;
            }

            codes[row] = code;
        }

        return samples;
    }

    private static List<int> EncodeFixed<T>(IArrowArray column, Span<int> codes)
        where T : unmanaged, IEquatable<T>
    {
        var data = column.Data;
        var values = MemoryMarshal.Cast<byte, T>(data.Buffers[1].Span).Slice(data.Offset, data.Length);
        var samples = new List<int>();
        var lookup = new Dictionary<T, int>();
        var nullCode = -1;
        for (var row = 0; row < values.Length; row++)
        {
            if (column.IsNull(row))
            {
                codes[row] = nullCode >= 0 ? nullCode : nullCode = NewCode(samples, row);
            }
            else if (lookup.TryGetValue(values[row], out var code))
            {
                codes[row] = code;
            }
            else
            {
                codes[row] = lookup[values[row]] = NewCode(samples, row);
            }
        }

        return samples;
    }

    private static List<int> EncodeScalars(IArrowArray column, Span<int> codes)
    {
        var samples = new List<int>();
        var lookup = new Dictionary<object, int>();
        var nullCode = -1;
        for (var row = 0; row < column.Length; row++)
        {
            var value = Columns.GetScalar(column, row);
            if (value is null)
            {
                codes[row] = nullCode >= 0 ? nullCode : nullCode = NewCode(samples, row);
            }
            else if (lookup.TryGetValue(value, out var code))
            {
                codes[row] = code;
            }
            else
            {
                codes[row] = lookup[value] = NewCode(samples, row);
            }
        }

        return samples;
    }

    private static int NewCode(List<int> samples, int row)
    {
        samples.Add(row);
        return samples.Count - 1;
    }
}
