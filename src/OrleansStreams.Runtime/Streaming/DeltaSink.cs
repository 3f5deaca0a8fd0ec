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
/// <param name="maxRecordsPerFile">Spark's maxRecordsPerFile writer option: most rows per data file, 0 for no limit.</param>
public sealed class DeltaSink(DeltaTable table, IReadOnlyList<string> partitionBy, bool mergeSchema, string name, long maxRecordsPerFile = 0) : IStreamSink
{
    public string Description => $"DeltaSink[{name}]";

    public bool Supports(OutputMode mode) => mode is OutputMode.Append or OutputMode.Complete;

    public Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IReadOnlyList<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken) =>
        AddBatchAsync(queryId, batchId, schema, rows.ToAsyncEnumerable(), mode, cancellationToken);

    /// <summary>Writes the rows as they come (data files roll as they fill); the commit follows the last batch.</summary>
    public async Task AddBatchAsync(Guid queryId, long batchId, StructType schema, IAsyncEnumerable<RecordBatch> rows, OutputMode mode, CancellationToken cancellationToken)
    {
        var options = new DeltaWriteOptions
        {
            Mode = mode == OutputMode.Complete ? DeltaWriteMode.Overwrite : DeltaWriteMode.Append,
            StreamingOutputMode = mode.ToString(),
            TxnAppId = queryId.ToString(),
            TxnVersion = batchId,
            MergeSchema = mergeSchema,
            PartitionBy = partitionBy.Count > 0 ? partitionBy : null,
            MaxRecordsPerFile = maxRecordsPerFile,
        };
        await table.WriteAsync(schema, rows, options, cancellationToken).ConfigureAwait(false);
    }
}
