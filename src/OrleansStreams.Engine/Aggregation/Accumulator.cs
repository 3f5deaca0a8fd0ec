using Apache.Arrow;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// The running value of one aggregate call for every group, stored column-wise (an array slot per
/// group). <see cref="Update"/> folds a whole batch in; state round-trips per group for checkpoints.
/// </summary>
public abstract class Accumulator
{
    public abstract DataType ResultType { get; }

    /// <summary>Makes room for groups up to <paramref name="groups"/> - 1.</summary>
    public abstract void EnsureCapacity(int groups);

    /// <param name="input">The evaluated argument (null for <c>count(*)</c>).</param>
    /// <param name="groups">The group of each row.</param>
    public abstract void Update(IArrowArray? input, ReadOnlySpan<int> groups);

    /// <summary>The results of the given groups, in order.</summary>
    public abstract IArrowArray Result(IReadOnlyList<int> groups);

    /// <summary>
    /// Folds <paramref name="other"/>'s value of <paramref name="otherGroup"/> (the same call over other rows) into
    /// <paramref name="group"/>, as if this group had seen those rows too: a partial aggregate is exact for its
    /// rows, so the merge of two is exact for both (used to heal state that was split over partitions).
    /// </summary>
    public abstract void Merge(int group, Accumulator other, int otherGroup);

    public abstract void Write(BinaryWriter writer, int group);

    public abstract void Read(BinaryReader reader, int group);

    protected static int Grow(int current, int needed) => Math.Max(needed, Math.Max(16, current * 2));
}
