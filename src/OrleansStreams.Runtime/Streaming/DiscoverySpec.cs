namespace OrleansStreams.Runtime.Streaming;

/// <summary>Which files a source takes: its folder, glob and filters, and where its file log lives.</summary>
[GenerateSerializer]
[Immutable]
public sealed record DiscoverySpec
{
    [Id(0)] public required string Folder { get; init; }

    /// <summary>The glob below the folder from the load path, if any.</summary>
    [Id(1)] public string? Pattern { get; init; }

    [Id(2)] public string? PathGlobFilter { get; init; }

    [Id(3)] public DateTimeOffset? ModifiedAfter { get; init; }

    [Id(4)] public DateTimeOffset? ModifiedBefore { get; init; }

    [Id(5)] public bool Recursive { get; init; } = true;

    [Id(6)] public bool IncludeExistingFiles { get; init; } = true;

    /// <summary>The source's folder in the query checkpoint (file log segments, baseline).</summary>
    [Id(7)] public required string CheckpointFolder { get; init; }

    /// <summary>Set in file-notification mode: the queue the source's BlobCreated events arrive on.</summary>
    [Id(8)] public Notifications.NotificationSpec? Notifications { get; init; }
}
