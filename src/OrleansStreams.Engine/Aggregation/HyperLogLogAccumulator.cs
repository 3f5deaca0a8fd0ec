using System.Numerics;
using Apache.Arrow;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// <c>approx_count_distinct(x[, rsd])</c>: a HyperLogLog sketch per group with 2^p registers, p chosen
/// from the relative standard deviation as Spark does (rsd 0.05 → p = 9). Values are hashed with the
/// checkpoint's <see cref="SketchHash"/>, the same in every process, so persisted sketches stay valid across restarts
/// and merge (register by register, the larger rank wins).
/// </summary>
public sealed class HyperLogLogAccumulator : Accumulator
{
    private readonly SketchHash hashing;
    private readonly int precision;
    private readonly int registers;
    private byte[][] sketches = [];

    public HyperLogLogAccumulator(double relativeSd = 0.05, SketchHash hashing = SketchHash.XxHash3)
    {
        this.hashing = hashing;
        if (relativeSd is <= 0 or >= 1)
        {
            throw new ArgumentException($"approx_count_distinct's relative standard deviation must be between 0 and 1, got {relativeSd}");
        }

        precision = Math.Max(4, (int)Math.Ceiling(2 * Math.Log2(1.106 / relativeSd)));
        registers = 1 << precision;
    }

    public override DataType ResultType => LongType.Instance;

    public override void EnsureCapacity(int groups)
    {
        if (sketches.Length < groups)
        {
            var old = sketches.Length;
            System.Array.Resize(ref sketches, Grow(old, groups));
            for (var i = old; i < sketches.Length; i++)
            {
                sketches[i] = new byte[registers];
            }
        }
    }

    public override void Update(IArrowArray? input, ReadOnlySpan<int> groups)
    {
        var column = input!;
        var hashes = hashing == SketchHash.XxHash3 ? StableHash.Values(column) : LegacySketchHashing.Hashes(column);
        for (var i = 0; i < groups.Length; i++)
        {
            if (column.IsNull(i))
            {
                continue;
            }

            var hash = hashes[i];
            var index = (int)(hash >> (64 - precision));
            var rank = (byte)(BitOperations.LeadingZeroCount((hash << precision) | (1UL << (precision - 1))) + 1);
            var sketch = sketches[groups[i]];
            if (rank > sketch[index])
            {
                sketch[index] = rank;
            }
        }
    }

    public override IArrowArray Result(IReadOnlyList<int> groups)
    {
        var column = new PrimitiveColumn<long>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            column.Values[i] = Estimate(sketches[groups[i]]);
        }

        return column.Build(Apache.Arrow.Types.Int64Type.Default);
    }

    public override void Merge(int group, Accumulator other, int otherGroup)
    {
        var that = (HyperLogLogAccumulator)other;
        if (that.registers != registers || that.hashing != hashing)
        {
            throw new InvalidOperationException("approx_count_distinct sketches of different precisions or hashes cannot be merged");
        }

        var (into, from) = (sketches[group], that.sketches[otherGroup]);
        for (var r = 0; r < registers; r++)
        {
            into[r] = Math.Max(into[r], from[r]);
        }
    }

    public override void Write(BinaryWriter writer, int group) => writer.Write(sketches[group]);

    public override void Read(BinaryReader reader, int group) => sketches[group] = reader.ReadBytes(registers);

    private long Estimate(byte[] sketch)
    {
        double sum = 0;
        var zeros = 0;
        foreach (var r in sketch)
        {
            sum += Math.Pow(2, -r);
            zeros += r == 0 ? 1 : 0;
        }

        var alpha = 0.7213 / (1 + (1.079 / registers));
        var estimate = alpha * registers * registers / sum;
        if (estimate <= 2.5 * registers && zeros > 0)
        {
            estimate = registers * Math.Log((double)registers / zeros); // linear counting for small cardinalities
        }

        return (long)Math.Round(estimate);
    }
}
