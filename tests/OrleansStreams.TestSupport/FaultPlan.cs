namespace OrleansStreams.TestSupport;

/// <summary>
/// Which requests <see cref="FaultInjectingProxy"/> disturbs: every <paramref name="everyNth"/> request (by arrival
/// number), with the kinds taken in turn in an order shuffled by <paramref name="seed"/>. Since the kinds rotate, a run
/// of at least <c>everyNth × kinds</c> requests injects every kind; no clock or chance decides whether a fault happens.
/// <see cref="Aim"/> adds faults aimed at chosen writes, on top of the rotation.
/// </summary>
public sealed class FaultPlan
{
    private readonly StorageFault[] order;
    private readonly List<(StorageFault Fault, string PathSuffix)> aimed = [];
    private long requests;
    private volatile bool paused;

    public FaultPlan(int everyNth, int seed, IReadOnlyList<StorageFault> kinds, TimeSpan? delay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(everyNth, 2);
        ArgumentOutOfRangeException.ThrowIfZero(kinds.Count);
        EveryNth = everyNth;
        order = [.. kinds];
        new Random(seed).Shuffle(order);
        Delay = delay ?? TimeSpan.FromMilliseconds(300);
    }

    /// <summary>Every kind, one request in <paramref name="everyNth"/>.</summary>
    public static FaultPlan AllKinds(int everyNth, int seed) => new(everyNth, seed, Enum.GetValues<StorageFault>());

    public int EveryNth { get; }

    public IReadOnlyList<StorageFault> Kinds => order;

    /// <summary>How long a <see cref="StorageFault.Delay"/> holds its request.</summary>
    public TimeSpan Delay { get; }

    /// <summary>How many requests the plan was asked about while not paused.</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Whether to stop disturbing requests (e.g. while the test reads its results back).</summary>
    public bool Paused
    {
        get => paused;
        set => paused = value;
    }

    /// <summary>
    /// Aims <paramref name="fault"/> at the first PUT whose path ends with <paramref name="pathSuffix"/> (e.g. a Delta
    /// commit's file name), whichever its arrival number: the way to lose the response of one chosen write.
    /// </summary>
    public void Aim(StorageFault fault, string pathSuffix)
    {
        lock (aimed)
        {
            aimed.Add((fault, pathSuffix));
        }
    }

    /// <summary>How many aimed faults have not met their request yet.</summary>
    public int AimedLeft
    {
        get
        {
            lock (aimed)
            {
                return aimed.Count;
            }
        }
    }

    /// <summary>The fault for the next request (<paramref name="method"/> on <paramref name="path"/>), or null to forward it plainly.</summary>
    public StorageFault? Next(string method, string path)
    {
        if (Paused)
        {
            return null;
        }

        lock (aimed)
        {
            var hit = aimed.FindIndex(a => method == "PUT" && path.EndsWith(a.PathSuffix, StringComparison.Ordinal));
            if (hit >= 0)
            {
                var fault = aimed[hit].Fault;
                aimed.RemoveAt(hit);
                return fault;
            }
        }

        var number = Interlocked.Increment(ref requests);
        return number % EveryNth == 0 ? order[(number / EveryNth - 1) % order.Length] : null;
    }
}
