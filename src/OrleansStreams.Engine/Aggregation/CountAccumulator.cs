using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary><c>count(*)</c> (every row) or <c>count(x)</c> (rows where x is not null); never null.</summary>
public sealed class CountAccumulator : Accumulator
{
    private long[] counts = [];

    public override DataType ResultType => LongType.Instance;

    public override void EnsureCapacity(int groups)
    {
        if (counts.Length < groups)
        {
            System.Array.Resize(ref counts, Grow(counts.Length, groups));
        }
    }

    public override void Update(IArrowArray? input, ReadOnlySpan<int> groups)
    {
        if (input is null || input.NullCount == 0)
        {
            foreach (var g in groups)
            {
                counts[g]++;
            }

            return;
        }

        for (var i = 0; i < groups.Length; i++)
        {
            if (!input.IsNull(i))
            {
                counts[groups[i]]++;
            }
        }
    }

    public override IArrowArray Result(IReadOnlyList<int> groups)
    {
        var column = new PrimitiveColumn<long>(groups.Count);
        var values = column.Values;
        ReadOnlySpan<int> ids = groups is int[] array ? array : [.. groups]; // complete mode's million groups come as an array: no call per group
        for (var i = 0; i < ids.Length; i++)
        {
            values[i] = counts[ids[i]];
        }

        return column.Build(Apache.Arrow.Types.Int64Type.Default);
    }

    public override void Merge(int group, Accumulator other, int otherGroup) => counts[group] += ((CountAccumulator)other).counts[otherGroup];

    public override void Write(BinaryWriter writer, int group) => writer.Write(counts[group]);

    public override void Read(BinaryReader reader, int group) => counts[group] = reader.ReadInt64();
}
