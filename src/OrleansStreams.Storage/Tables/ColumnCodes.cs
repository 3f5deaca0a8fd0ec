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

    /// <summary>
    /// Partition columns hold a few values per batch, often in runs: the previous row's value is tried
    /// first, then a short scan of the values seen; only past <see cref="ScanLimit"/> values is each row hashed.
    /// </summary>
    private static List<int> EncodeBytes(BinaryArray column, Span<int> codes)
    {
        var samples = new List<int>();
        var values = new List<byte[]?>(); // per code; null for the NULL code
        Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>>? lookup = null;
        var nullCode = -1;
        var last = -1;
        for (var row = 0; row < column.Length; row++)
        {
            if (column.IsNull(row))
            {
                codes[row] = nullCode >= 0 ? nullCode : nullCode = NewCode(samples, values, null, row);
                continue;
            }

            var bytes = column.GetBytes(row);
            if (last >= 0 && values[last] is { } previous && bytes.SequenceEqual(previous))
            {
                codes[row] = last;
                continue;
            }

            var code = -1;
            if (lookup is { } hashed)
            {
                code = hashed.TryGetValue(bytes, out var found) ? found : -1;
            }
            else
            {
                for (var c = 0; c < values.Count; c++)
                {
                    if (values[c] is { } candidate && bytes.SequenceEqual(candidate))
                    {
                        code = c;
                        break;
                    }
                }
            }

            if (code < 0)
            {
                code = NewCode(samples, values, bytes.ToArray(), row);
                if (lookup is { } growing)
                {
                    growing.Dictionary[values[code]!] = code;
                }
                else if (values.Count > ScanLimit)
                {
                    var dictionary = new Dictionary<byte[], int>(ByteArrayComparer.Instance);
                    for (var c = 0; c < values.Count; c++)
                    {
                        if (values[c] is { } value)
                        {
                            dictionary[value] = c;
                        }
                    }

                    lookup = dictionary.GetAlternateLookup<ReadOnlySpan<byte>>();
                }
            }

            codes[row] = last = code;
        }

        return samples;
    }

    private const int ScanLimit = 16;

    private static int NewCode(List<int> samples, List<byte[]?> values, byte[]? value, int row)
    {
        values.Add(value);
        return NewCode(samples, row);
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
