namespace OrleansStreams.Runtime.Streaming;

/// <summary>A file the source found, numbered in discovery order. Key is relative to the source folder.</summary>
public sealed record DiscoveredFile(long Sequence, string Key, long Size, DateTimeOffset ModificationTime);
