using Apache.Arrow;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Record batches as a grain-call argument or result. Within a silo Orleans passes it by reference (it is
/// sealed and immutable, so its copier is the identity): a scan worker's decoded columns reach the query
/// without a copy. Between silos it travels as one Arrow IPC stream (<see cref="ArrowBatchesConverter"/>).
/// </summary>
[Immutable]
public sealed class ArrowBatches(Schema schema, IReadOnlyList<RecordBatch> batches)
{
    public Schema Schema { get; } = schema;

    public IReadOnlyList<RecordBatch> Batches { get; } = batches;
}

/// <summary>What <see cref="ArrowBatches"/> is on the wire: its batches as an Arrow IPC stream.</summary>
[GenerateSerializer]
public struct ArrowBatchesSurrogate
{
    [Id(0)] public byte[] Ipc;
}

/// <summary>Serializes <see cref="ArrowBatches"/> for calls between silos; calls within one never use it.</summary>
[RegisterConverter]
public sealed class ArrowBatchesConverter : IConverter<ArrowBatches, ArrowBatchesSurrogate>
{
    public ArrowBatches ConvertFromSurrogate(in ArrowBatchesSurrogate surrogate)
    {
        var (schema, batches) = ArrowIpc.Read(surrogate.Ipc);
        return new ArrowBatches(schema, batches);
    }

    public ArrowBatchesSurrogate ConvertToSurrogate(in ArrowBatches value) => new() { Ipc = ArrowIpc.Write(value.Batches, value.Schema) };
}
