namespace OrleansStreams.Engine.Aggregation;

/// <summary>
/// Keyed operator state that a checkpoint stores incrementally: each batch writes only what it
/// changed, and now and then the whole state, so a checkpoint's size follows the batch, not the state.
/// </summary>
public interface IIncrementalState
{
    /// <summary>Only the entries changed or dropped since the last <see cref="ClearChanges"/>.</summary>
    void WriteChanges(Stream output);

    /// <summary>Every live entry.</summary>
    void WriteSnapshot(Stream output);

    /// <summary>Loads a snapshot, or applies a change set on top of what is loaded.</summary>
    void Apply(Stream input);

    /// <summary>Forgets what changed (after the batch's state was checkpointed).</summary>
    void ClearChanges();
}
