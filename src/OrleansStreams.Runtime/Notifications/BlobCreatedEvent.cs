namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// One <c>Microsoft.Storage.BlobCreated</c> event: the fields of Event Grid's storage event that ingestion uses,
/// whichever schema (Event Grid or CloudEvents 1.0) it arrived in.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record BlobCreatedEvent
{
    public const string EventType = "Microsoft.Storage.BlobCreated";

    [Id(0)] public required string Id { get; init; }

    /// <summary>The blob's URL (<c>https://account.blob.core.windows.net/container/path</c>, or Azurite's path-style URL).</summary>
    [Id(1)] public required string Url { get; init; }

    [Id(2)] public long ContentLength { get; init; }

    [Id(3)] public DateTimeOffset EventTime { get; init; }

    /// <summary>The storage operation that created the blob: PutBlob, PutBlockList, CopyBlob, FlushWithClose, …</summary>
    [Id(4)] public string Api { get; init; } = "PutBlob";

    [Id(5)] public string? ETag { get; init; }

    [Id(6)] public string? ContentType { get; init; }

    [Id(7)] public string BlobType { get; init; } = "BlockBlob";

    [Id(8)] public string? Sequencer { get; init; }

    /// <summary>The storage account's resource id (the event's <c>topic</c>, or <c>source</c> in CloudEvents).</summary>
    [Id(9)] public string? Topic { get; init; }

    /// <summary>
    /// False for an event that does not announce a complete file: Data Lake's CreateFile comes before the
    /// data is flushed (its FlushWithClose event follows).
    /// </summary>
    public bool IsComplete => !Api.Equals("CreateFile", StringComparison.OrdinalIgnoreCase);
}
