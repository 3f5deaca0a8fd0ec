using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// <c>sum(x)</c> with Spark's result types: long for integral input, double for floating, decimal(p+10, s)
/// for decimal(p, s). NULL for a group that saw no non-null value. With <c>average</c> set it is
/// <c>avg(x)</c>: double, or decimal(p+4, s+4) for decimals.
/// </summary>
public sealed class SumAccumulator : Accumulator
{
    private readonly DataType inputType;
    private readonly bool average;
    private long[] longs = [];
    private double[] doubles = [];
    private decimal[] decimals = [];
    private long[] counts = [];

    public SumAccumulator(DataType inputType, bool average)
    {
        this.inputType = inputType;
        this.average = average;
        ResultType = (inputType, average) switch
        {
            (DecimalType d, false) => new DecimalType(Math.Min(38, d.Precision + 10), d.Scale),
            (DecimalType d, true) => new DecimalType(Math.Min(38, d.Precision + 4), Math.Min(38, d.Scale + 4)),
            (ByteType or ShortType or IntegerType or LongType, false) => LongType.Instance,
            (ByteType or ShortType or IntegerType or LongType or FloatType or DoubleType, _) => DoubleType.Instance,
            _ => throw new ArgumentException($"{(average ? "avg" : "sum")} needs a numeric argument, not {inputType.SimpleString}"),
        };
    }

    public override DataType ResultType { get; }

    private bool IsDecimal => inputType is DecimalType;

    private bool IsIntegral => !average && inputType is ByteType or ShortType or IntegerType or LongType;

    public override void EnsureCapacity(int groups)
    {
        if (counts.Length >= groups)
        {
            return;
        }

        var size = Grow(counts.Length, groups);
        System.Array.Resize(ref counts, size);
        if (IsDecimal)
        {
            System.Array.Resize(ref decimals, size);
        }
        else if (IsIntegral)
        {
            System.Array.Resize(ref longs, size);
        }
        else
        {
            System.Array.Resize(ref doubles, size);
        }
    }

    public override void Update(IArrowArray? input, ReadOnlySpan<int> groups)
    {
        var column = input!;
        if (IsDecimal)
        {
            var values = DecimalValues.Read(column);
            for (var i = 0; i < groups.Length; i++)
            {
                if (!column.IsNull(i))
                {
                    decimals[groups[i]] += values[i];
                    counts[groups[i]]++;
                }
            }
        }
        else if (IsIntegral)
        {
            var values = NumericValues.AsLongs(column);
            for (var i = 0; i < groups.Length; i++)
            {
                if (!column.IsNull(i))
                {
                    longs[groups[i]] += values[i]; // wraps on overflow, as Spark's non-ANSI sum does
                    counts[groups[i]]++;
                }
            }
        }
        else
        {
            var values = NumericValues.AsDoubles(column);
            for (var i = 0; i < groups.Length; i++)
            {
                if (!column.IsNull(i))
                {
                    doubles[groups[i]] += values[i];
                    counts[groups[i]]++;
                }
            }
        }
    }

    public override IArrowArray Result(IReadOnlyList<int> groups)
    {
        var results = new object?[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            // Boxed per branch: a conditional chain would otherwise widen long to double.
            results[i] = counts[g] == 0 ? null
                : IsDecimal ? (object)(average ? Math.Round(decimals[g] / counts[g], ((DecimalType)ResultType).Scale, MidpointRounding.AwayFromZero) : decimals[g])
                : IsIntegral ? (object)longs[g]
                : (object)(average ? doubles[g] / counts[g] : doubles[g]);
        }

        return Columns.FromScalars(ResultType, results);
    }

    public override void Merge(int group, Accumulator other, int otherGroup)
    {
        var that = (SumAccumulator)other;
        counts[group] += that.counts[otherGroup];
        if (IsDecimal)
        {
            decimals[group] += that.decimals[otherGroup];
        }
        else if (IsIntegral)
        {
            longs[group] += that.longs[otherGroup];
        }
        else
        {
            doubles[group] += that.doubles[otherGroup];
        }
    }

    public override void Write(BinaryWriter writer, int group)
    {
        writer.Write(counts[group]);
        if (IsDecimal)
        {
            writer.Write(decimals[group]);
        }
        else if (IsIntegral)
        {
            writer.Write(longs[group]);
        }
        else
        {
            writer.Write(doubles[group]);
        }
    }

    public override void Read(BinaryReader reader, int group)
    {
        counts[group] = reader.ReadInt64();
        if (IsDecimal)
        {
            decimals[group] = reader.ReadDecimal();
        }
        else if (IsIntegral)
        {
            longs[group] = reader.ReadInt64();
        }
        else
        {
            doubles[group] = reader.ReadDouble();
        }
    }
}
