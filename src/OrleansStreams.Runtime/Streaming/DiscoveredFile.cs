namespace OrleansStreams.Runtime.Streaming;

/// <summary>A file the source found, numbered in discovery order. Key is relative to the source folder.</summary>
[GenerateSerializer]
[Immutable]
public sealed record DiscoveredFile(
    [property: Id(0)] long Sequence,
    [property: Id(1)] string Key,
    [property: Id(2)] long Size,
    [property: Id(3)] DateTimeOffset ModificationTime);
