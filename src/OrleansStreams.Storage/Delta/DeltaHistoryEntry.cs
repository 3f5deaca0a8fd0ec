namespace OrleansStreams.Storage.Delta;

/// <summary>One row of a table's history: a version, when it was committed and its commitInfo (if it wrote one).</summary>
public sealed record DeltaHistoryEntry(long Version, DateTimeOffset Timestamp, CommitInfo? CommitInfo);
