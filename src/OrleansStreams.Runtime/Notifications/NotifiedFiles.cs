using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>A file announced by an event: its key relative to the source folder, size and event time.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NotifiedFile(
    [property: Id(0)] string Key,
    [property: Id(1)] long Size,
    [property: Id(2)] DateTimeOffset Modified);

/// <summary>What the notification stream delivers to a source's discovery grain: the files of one pull for that source.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NotifiedFiles(
    [property: Id(0)] DiscoverySpec Source,
    [property: Id(1)] IReadOnlyList<NotifiedFile> Files);
