using System.Globalization;
using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// An operator's state in the checkpoint, versioned by batch id: each batch writes only the keys
/// it changed (<c>{folder}/N.delta</c>), and every <see cref="SnapshotInterval"/> batches the whole state
/// (<c>{folder}/N.snapshot</c>). Loading "as of batch N" takes the newest snapshot at or before N and the
/// deltas after it, so a replayed batch starts from exactly the state of the batch before. State that was
/// rebuilt at batch R (<see cref="StateScheme.RebasedAt"/>) starts from <c>{folder}/R.rebased</c>: nothing older is read.
/// </summary>
public sealed class IncrementalStateStore(IObjectStore checkpoint, string folder = "state", int snapshotInterval = 10, long? rebasedAt = null)
{
    public int SnapshotInterval => snapshotInterval;

    /// <summary>The store of aggregation partition <paramref name="partition"/>'s state (<c>state/&lt;partition&gt;/state/</c>), as its grain keeps it.</summary>
    public static IncrementalStateStore OfPartition(IObjectStore checkpoint, string partition, long? rebasedAt = null) =>
        new(new ScopedObjectStore(checkpoint, $"state/{partition}"), rebasedAt: rebasedAt);

    public async Task SaveAsync(long batchId, IIncrementalState state, CancellationToken cancellationToken)
    {
        using var changes = new MemoryStream();
        state.WriteChanges(changes);
        await checkpoint.WriteAsync(Key(batchId, "delta"), changes.ToArray(), cancellationToken).ConfigureAwait(false);
        if ((batchId + 1) % snapshotInterval == 0)
        {
            using var snapshot = new MemoryStream();
            state.WriteSnapshot(snapshot);
            await checkpoint.WriteAsync(Key(batchId, "snapshot"), snapshot.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        state.ClearChanges();
    }

    /// <summary>Writes the whole of <paramref name="state"/> as the state after <paramref name="batchId"/>, rebuilt (read back with <c>rebasedAt</c>).</summary>
    public async Task WriteRebasedAsync(long batchId, IIncrementalState state, CancellationToken cancellationToken)
    {
        using var snapshot = new MemoryStream();
        state.WriteSnapshot(snapshot);
        await checkpoint.WriteAsync(Key(batchId, "rebased"), snapshot.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state after batch <paramref name="batchId"/> (empty for -1), built on a fresh <paramref name="state"/>.</summary>
    public async Task<T> LoadAsync<T>(T state, long batchId, CancellationToken cancellationToken)
        where T : IIncrementalState
    {
        if (batchId < 0)
        {
            return state;
        }

        if (batchId < rebasedAt)
        {
            throw new InvalidOperationException($"The state under {checkpoint.Root}/{folder} was rebuilt at batch {rebasedAt}; the state of batch {batchId} is no longer kept");
        }

        var from = 0L;
        var oldest = rebasedAt + 1 ?? 0;
        for (var candidate = batchId; candidate >= oldest; candidate--)
        {
            if ((candidate + 1) % snapshotInterval == 0 && await checkpoint.GetPropertiesAsync(Key(candidate, "snapshot"), cancellationToken).ConfigureAwait(false) is not null)
            {
                await ApplyAsync(state, Key(candidate, "snapshot"), cancellationToken).ConfigureAwait(false);
                from = candidate + 1;
                break;
            }
        }

        if (from == 0 && rebasedAt is { } rebased)
        {
            await ApplyAsync(state, Key(rebased, "rebased"), cancellationToken).ConfigureAwait(false);
            from = rebased + 1;
        }

        for (var id = from; id <= batchId; id++)
        {
            await ApplyAsync(state, Key(id, "delta"), cancellationToken).ConfigureAwait(false);
        }

        state.ClearChanges();
        return state;
    }

    private async Task ApplyAsync(IIncrementalState state, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new MemoryStream(await checkpoint.ReadAllAsync(key, cancellationToken).ConfigureAwait(false));
            state.Apply(stream);
        }
        catch (ObjectNotFoundException e)
        {
            throw new InvalidDataException($"The state file {checkpoint.Root}/{key} is missing from the checkpoint; the query cannot restore its state", e);
        }
    }

    private string Key(long batchId, string kind) => $"{folder}/{batchId.ToString(CultureInfo.InvariantCulture)}.{kind}";
}
