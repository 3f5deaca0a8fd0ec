namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// A set of group ids with O(1) add, remove and membership, and its members in ascending order on
/// demand: flags per group plus the list of ids ever added since the last clear (removal is lazy).
/// </summary>
internal sealed class GroupSet
{
    private readonly List<int> listed = [];
    private bool[] member = [];
    private bool[] inList = [];

    public int Count { get; private set; }

    public bool Contains(int group) => group < member.Length && member[group];

    /// <summary>Adds the group; false when it was already a member.</summary>
    public bool Add(int group)
    {
        if (group >= member.Length)
        {
            var size = Math.Max(group + 1, Math.Max(16, member.Length * 2));
            System.Array.Resize(ref member, size);
            System.Array.Resize(ref inList, size);
        }

        if (member[group])
        {
            return false;
        }

        member[group] = true;
        Count++;
        if (!inList[group])
        {
            inList[group] = true;
            listed.Add(group);
        }

        return true;
    }

    public void Remove(int group)
    {
        if (Contains(group))
        {
            member[group] = false;
            Count--;
        }
    }

    /// <summary>The members that pass <paramref name="filter"/>, ascending.</summary>
    public List<int> Ordered(bool[]? filter = null)
    {
        var result = new List<int>(Count);
        if (listed.Count > member.Length / 16)
        {
            // Many members: one pass over the flags (vectorized) costs less than sorting them.
            var flags = member.AsSpan();
            for (var at = flags.IndexOf(true); at >= 0;)
            {
                if (filter is null || filter[at])
                {
                    result.Add(at);
                }

                var next = flags[(at + 1)..].IndexOf(true);
                at = next < 0 ? -1 : at + 1 + next;
            }

            return result;
        }

        foreach (var group in listed)
        {
            if (member[group] && (filter is null || filter[group]))
            {
                result.Add(group);
            }
        }

        result.Sort();
        return result;
    }

    public void Clear()
    {
        foreach (var group in listed)
        {
            member[group] = false;
            inList[group] = false;
        }

        listed.Clear();
        Count = 0;
    }
}
