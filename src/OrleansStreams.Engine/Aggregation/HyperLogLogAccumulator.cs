using System.Numerics;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// <c>approx_count_distinct(x[, rsd])</c>: a HyperLogLog sketch per group with 2^p registers, p chosen
/// from the relative standard deviation as Spark does (rsd 0.05 → p = 9). Values are hashed from their
/// typed form with a fixed 64-bit hash, so sketches persisted in checkpoints stay valid across restarts.
/// </summary>
public sealed class HyperLogLogAccumulator : Accumulator
{
    private readonly int precision;
    private readonly int registers;
    private byte[][] sketches = [];

    public HyperLogLogAccumulator(double relativeSd = 0.05)
    {
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

    public override void Update(IArrowArray? input, int[] groups)
    {
        var column = input!;
        var hashes = Hashes(column);
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

    private static ulong[] Hashes(IArrowArray column)
    {
        var hashes = new ulong[column.Length];
        switch (column)
        {
            case BinaryArray a:
                for (var i = 0; i < a.Length; i++)
                {
                    hashes[i] = a.IsNull(i) ? 0 : HashBytes(a.GetBytes(i));
                }

                break;
            case FloatArray or DoubleArray or Decimal128Array:
                var doubles = NumericValues.AsDoubles(column);
                for (var i = 0; i < doubles.Length; i++)
                {
                    hashes[i] = Mix((ulong)BitConverter.DoubleToInt64Bits(doubles[i]));
                }

                break;
            default:
                var longs = NumericValues.AsLongs(column);
                for (var i = 0; i < longs.Length; i++)
                {
                    hashes[i] = Mix((ulong)longs[i]);
                }

                break;
        }

        return hashes;
    }

    /// <summary>FNV-1a over the bytes, then a 64-bit finalizer so the high bits are well mixed.</summary>
    private static ulong HashBytes(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(hash);
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return x;
    }
}
