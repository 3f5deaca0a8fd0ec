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
/// As in Spark's state store, a snapshot is written in the background while the next batches run: the deltas are
/// the record, and a snapshot only shortens loading, so a batch does not wait for one.
/// </summary>
public sealed class IncrementalStateStore(IObjectStore checkpoint, string folder = "state", int snapshotInterval = 10, long? rebasedAt = null)
{
    /// <summary>The snapshot being written, if any; one at a time.</summary>
    private Task snapshotWrite = Task.CompletedTask;

    public int SnapshotInterval => snapshotInterval;

    /// <summary>Where this store keeps its files.</summary>
    private (string Root, string Folder, long? RebasedAt) Place => (checkpoint.Root, folder, rebasedAt);

    /// <summary>
    /// The store in <paramref name="kept"/> when it keeps its files where <paramref name="wanted"/> does, else
    /// <paramref name="wanted"/>, kept from then on: a snapshot still on its way out is then awaited by its own store.
    /// </summary>
    public static IncrementalStateStore Reuse(ref IncrementalStateStore? kept, IncrementalStateStore wanted)
    {
        if (kept is null || kept.Place != wanted.Place)
        {
            kept = wanted;
        }

        return kept;
    }

    /// <summary>The store of aggregation partition <paramref name="partition"/>'s state (<c>state/&lt;partition&gt;/state/</c>), as its grain keeps it.</summary>
    public static IncrementalStateStore OfPartition(IObjectStore checkpoint, string partition, long? rebasedAt = null) =>
        new(new ScopedObjectStore(checkpoint, $"state/{partition}"), rebasedAt: rebasedAt);

    public async Task SaveAsync(long batchId, IIncrementalState state, CancellationToken cancellationToken)
    {
        using var changes = new MemoryStream();
        state.WriteChanges(changes);
        await checkpoint.WriteAsync(Key(batchId, "delta"), Written(changes), cancellationToken).ConfigureAwait(false);
        if ((batchId + 1) % snapshotInterval == 0)
        {
            await snapshotWrite.ConfigureAwait(false);
            var snapshot = new MemoryStream();
            state.WriteSnapshot(snapshot); // now, while the state is this batch's
            snapshotWrite = WriteSnapshotAsync(Key(batchId, "snapshot"), snapshot);
        }

        state.ClearChanges();
    }

    /// <summary>Completes when the snapshot in the background, if any, is written (or given up).</summary>
    public Task FlushAsync() => snapshotWrite;

    private async Task WriteSnapshotAsync(string key, MemoryStream snapshot)
    {
        await Task.Yield(); // the batch goes on
        using (snapshot)
        {
            try
            {
                await checkpoint.WriteAsync(key, Written(snapshot), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Loading falls back to the snapshot before it and the deltas since; a failing store fails the next delta's write loudly.
            }
        }
    }

    /// <summary>What was written to <paramref name="stream"/>, without the copy <c>ToArray</c> makes.</summary>
    private static ReadOnlyMemory<byte> Written(MemoryStream stream) => stream.GetBuffer().AsMemory(0, (int)stream.Length);

    /// <summary>Writes the whole of <paramref name="state"/> as the state after <paramref name="batchId"/>, rebuilt (read back with <c>rebasedAt</c>).</summary>
    public async Task WriteRebasedAsync(long batchId, IIncrementalState state, CancellationToken cancellationToken)
    {
        using var snapshot = new MemoryStream();
        state.WriteSnapshot(snapshot);
        await checkpoint.WriteAsync(Key(batchId, "rebased"), Written(snapshot), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state after batch <paramref name="batchId"/> (empty for -1), built on a fresh <paramref name="state"/>.</summary>
    public async Task<T> LoadAsync<T>(T state, long batchId, CancellationToken cancellationToken)
        where T : IIncrementalState
    {
        if (batchId < 0)
        {
            return state;
        }

        await snapshotWrite.ConfigureAwait(false);
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
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"The state file {checkpoint.Root}/{key} cannot be read (truncated or corrupt): {e.Message}; the query cannot restore its state", e);
        }
    }

    private string Key(long batchId, string kind) => $"{folder}/{batchId.ToString(CultureInfo.InvariantCulture)}.{kind}";
}
