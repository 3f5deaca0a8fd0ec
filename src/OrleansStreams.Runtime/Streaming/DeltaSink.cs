using Apache.Arrow;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Writes each batch as one Delta commit carrying <c>txn(appId = query id, version = batch id)</c>: a batch
/// replayed after a crash finds its txn already committed and writes nothing. Complete mode replaces
/// the table's content in the same commit.
/// </summary>
public sealed class DeltaSink(DeltaTable table, IReadOnlyList<string> partitionBy, bool mergeSchema, string name) : IStreamSink
{
    public string Description => $"DeltaSink[{name}]";

    public bool Supports(OutputMode mode) => mode is OutputMode.Append or OutputMode.Complete;

    public async Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken)
    {
        var options = new DeltaWriteOptions
        {
            Mode = mode == OutputMode.Complete ? DeltaWriteMode.Overwrite : DeltaWriteMode.Append,
            StreamingOutputMode = mode.ToString(),
            TxnAppId = queryId.ToString(),
            TxnVersion = batchId,
            MergeSchema = mergeSchema,
            PartitionBy = partitionBy.Count > 0 ? partitionBy : null,
        };
        await table.WriteAsync(schema, rows, options, cancellationToken).ConfigureAwait(false);
    }
}
