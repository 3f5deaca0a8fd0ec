using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>What a scan worker returns: the split's rows (by reference within a silo, as Arrow IPC between silos), and what decoding found (fields the schema lacks).</summary>
[GenerateSerializer]
[Immutable]
public sealed record ScanResult([property: Id(0)] ArrowBatches Batches, [property: Id(1)] FileSplitReport Report);
