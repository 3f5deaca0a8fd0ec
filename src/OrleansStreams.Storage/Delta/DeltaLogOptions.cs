namespace OrleansStreams.Storage.Delta;

/// <summary>Tuning of <see cref="DeltaLog"/>; the defaults suit production.</summary>
public sealed record DeltaLogOptions
{
    /// <summary>How many versions a commit tries before giving up on a busy table.</summary>
    public int MaxCommitAttempts { get; init; } = 100;

    /// <summary>The clock commit timestamps come from (replaceable in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
