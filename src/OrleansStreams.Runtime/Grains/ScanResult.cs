using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>What a scan worker returns: the split's rows as Arrow IPC, and what decoding found (fields the schema lacks).</summary>
[GenerateSerializer]
[Immutable]
public sealed record ScanResult([property: Id(0)] byte[] Batches, [property: Id(1)] FileSplitReport Report);
