using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// Aggregates that keep one value per group: <c>min</c>, <c>max</c>, <c>first</c>, <c>last</c>.
/// Each batch is reduced to one candidate row per group first (a typed pass over the column), so a
/// value is boxed once per group and batch, not once per row. first/last keep NULLs like Spark's
/// default (ignoreNulls = false); min/max skip them.
/// </summary>
public sealed class ValueAccumulator : Accumulator
{
    private readonly string function;
    private object?[] values = [];
    private bool[] seen = [];

    public ValueAccumulator(string function, DataType inputType)
    {
        this.function = function;
        ResultType = inputType;
        if (function is "min" or "max" && inputType is ArrayType or MapType or StructType)
        {
            throw new ArgumentException($"{function} cannot order values of type {inputType.SimpleString}");
        }
    }

    public override DataType ResultType { get; }

    public override void EnsureCapacity(int groups)
    {
        if (values.Length < groups)
        {
            var size = Grow(values.Length, groups);
            System.Array.Resize(ref values, size);
            System.Array.Resize(ref seen, size);
        }
    }

    public override void Update(IArrowArray? input, ReadOnlySpan<int> groups)
    {
        var column = input!;
        var candidates = new Dictionary<int, int>();
        Func<int, int, int>? compare = function is "min" or "max" ? RowComparer(column) : null;
        for (var i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            switch (function)
            {
                case "first":
                    candidates.TryAdd(g, i);
                    break;
                case "last":
                    candidates[g] = i;
                    break;
                default:
                    if (column.IsNull(i))
                    {
                        break;
                    }

                    if (!candidates.TryGetValue(g, out var best) || (function == "min" ? compare!(i, best) < 0 : compare!(i, best) > 0))
                    {
                        candidates[g] = i;
                    }

                    break;
            }
        }

        foreach (var (g, row) in candidates)
        {
            var value = Columns.GetScalar(column, row);
            if (function == "first" && seen[g])
            {
                continue;
            }

            if (function is "min" or "max" && seen[g] && !Better(value!, values[g]!))
            {
                continue;
            }

            values[g] = value;
            seen[g] = true;
        }
    }

    public override IArrowArray Result(IReadOnlyList<int> groups) =>
        Columns.FromScalars(ResultType, groups.Select(g => values[g]).ToList());

    public override void Merge(int group, Accumulator other, int otherGroup)
    {
        var that = (ValueAccumulator)other;
        if (!that.seen[otherGroup])
        {
            return;
        }

        var value = that.values[otherGroup];
        var take = !seen[group] || function switch
        {
            "first" => false,
            "last" => true,
            _ => value is not null && (values[group] is null || Better(value, values[group]!)),
        };
        if (take)
        {
            values[group] = value;
            seen[group] = true;
        }
    }

    public override void Write(BinaryWriter writer, int group)
    {
        writer.Write(seen[group]);
        ScalarCodec.Write(writer, ResultType, values[group]);
    }

    public override void Read(BinaryReader reader, int group)
    {
        seen[group] = reader.ReadBoolean();
        values[group] = ScalarCodec.Read(reader, ResultType);
    }

    private bool Better(object candidate, object current)
    {
        var c = ScalarComparer.Compare(candidate, current);
        return function == "min" ? c < 0 : c > 0;
    }

    private static Func<int, int, int> RowComparer(IArrowArray column)
    {
        switch (column)
        {
            case BinaryArray a:
                return (i, j) => a.GetBytes(i).SequenceCompareTo(a.GetBytes(j));
            case FloatArray or DoubleArray:
                var doubles = NumericValues.AsDoubles(column);
                return (i, j) => doubles[i].CompareTo(doubles[j]);
            case Decimal128Array d:
                var decimals = DecimalValues.Read(d);
                return (i, j) => decimals[i].CompareTo(decimals[j]);
            default:
                var longs = NumericValues.AsLongs(column);
                return (i, j) => longs[i].CompareTo(longs[j]);
        }
    }
}
