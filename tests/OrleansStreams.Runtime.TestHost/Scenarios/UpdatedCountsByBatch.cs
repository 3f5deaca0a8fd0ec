using Apache.Arrow;
using OrleansStreams.Client;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Tables;
using static OrleansStreams.Engine.DataFrames.Functions;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// <c>GROUP BY k</c> with count and sum in update mode. Delta refuses update mode, so foreachBatch appends each
/// batch's updated groups with the batch id to a Delta table, once per batch id (Delta's txn pair makes a
/// replayed batch a no-op): a key's row of the highest batch is its current aggregate.
/// </summary>
internal sealed class UpdatedCountsByBatch : IScenario
{
    private const string AppId = "updated-counts";

    public Task<StreamingQuery> StartAsync(StreamingSession spark, ScenarioPaths paths)
    {
        var table = new DeltaTable(spark.Stores.Create(paths.Table));
        return Events.Read(spark, paths)
            .GroupBy("k")
            .Agg(Count(Lit(1)).Alias("n"), Sum(Col("v")).Alias("total"))
            .WriteStream()
            .OutputMode("update")
            .Option("checkpointLocation", paths.Checkpoint)
            .Trigger(Trigger.AvailableNow)
            .ForeachBatch(async (schema, rows, batchId, cancellationToken) =>
            {
                var withBatch = schema.Add(new StructField("batch_id", LongType.Instance, false));
                var arrowSchema = ArrowTypes.ToArrowSchema(withBatch);
                var batches = rows.Select(b => new RecordBatch(arrowSchema, [.. Enumerable.Range(0, b.ColumnCount).Select(b.Column), BatchIds(batchId, b.Length)], b.Length)).ToList();
                await table.WriteAsync(withBatch, batches, new DeltaWriteOptions { TxnAppId = AppId, TxnVersion = batchId }, cancellationToken);
            })
            .StartAsync();
    }

    private static Int64Array BatchIds(long batchId, int length)
    {
        var builder = new Int64Array.Builder().Reserve(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(batchId);
        }

        return builder.Build();
    }
}
