using Apache.Arrow;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// The build side of a hash join: row indexes chained per key hash (one dictionary entry per
/// distinct hash, a next-row array for the chains). Rows with a NULL key never match, as in SQL.
/// </summary>
internal sealed class JoinHashTable
{
    private readonly IReadOnlyList<IArrowArray> keys;
    private readonly Dictionary<ulong, int> heads = new();
    private readonly int[] next;
    private readonly int rowCount;

    public JoinHashTable(IReadOnlyList<IArrowArray> keys, int rowCount)
    {
        this.keys = keys;
        this.rowCount = rowCount;
        next = new int[rowCount];
        if (keys.Count == 0)
        {
            return;
        }

        var (hashes, nulls) = KeyHashing.Hash(keys, rowCount);

        for (var row = rowCount - 1; row >= 0; row--)
        {
            if (nulls[row])
            {
                continue;
            }

            next[row] = heads.TryGetValue(hashes[row], out var head) ? head : -1;
            heads[hashes[row]] = row;
        }
    }

    /// <summary>Candidate (left row, right row) pairs with equal keys; with no keys, every pair.</summary>
    public (int[] Left, int[] Right) Probe(IReadOnlyList<IArrowArray> probeKeys, int probeRows)
    {
        var leftRows = new List<int>();
        var rightRows = new List<int>();
        if (keys.Count == 0)
        {
            for (var l = 0; l < probeRows; l++)
            {
                for (var r = 0; r < rowCount; r++)
                {
                    leftRows.Add(l);
                    rightRows.Add(r);
                }
            }

            return (leftRows.ToArray(), rightRows.ToArray());
        }

        var (hashes, nulls) = KeyHashing.Hash(probeKeys, probeRows);

        var equal = probeKeys.Select((k, i) => KeyHashing.Equality(k, keys[i])).ToArray();
        for (var l = 0; l < probeRows; l++)
        {
            if (nulls[l] || !heads.TryGetValue(hashes[l], out var r))
            {
                continue;
            }

            for (; r >= 0; r = next[r])
            {
                if (AllEqual(equal, l, r))
                {
                    leftRows.Add(l);
                    rightRows.Add(r);
                }
            }
        }

        return (leftRows.ToArray(), rightRows.ToArray());
    }

    private static bool AllEqual(Func<int, int, bool>[] equal, int left, int right)
    {
        foreach (var e in equal)
        {
            if (!e(left, right))
            {
                return false;
            }
        }

        return true;
    }
}
