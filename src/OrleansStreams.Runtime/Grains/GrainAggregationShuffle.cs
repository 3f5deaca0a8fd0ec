using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Serialization;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Splits a batch's aggregation input by key over <c>shufflePartitions</c> aggregation grains (default 8),
/// sends each its rows as one columnar message, in parallel, and gathers what they emit.
/// </summary>
public sealed class GrainAggregationShuffle(IGrainFactory grains, string checkpointLocation, string timeZone, int partitions = ShufflePartitionCount.Default) : IAggregationShuffle
{
    public async Task<ShuffleResult> ApplyAsync(
        long batchId, AggregateInput aggregation, IReadOnlyList<RecordBatch> rows, OutputMode mode, long? watermark, CancellationToken cancellationToken)
    {
        var grouping = aggregation.Grouping.Select(ExpressionJson.Serialize).ToArray();
        var aggregates = aggregation.Aggregates.Select(ExpressionJson.Serialize).ToArray();
        var inputSchema = SchemaJson.Serialize(aggregation.InputSchema);
        var arrowSchema = ArrowTypes.ToArrowSchema(aggregation.InputSchema);

        // Every partition is called, with or without rows: complete mode emits all groups, and each partition's state moves to this batch id.
        var parts = Enumerable.Range(0, partitions).Select(_ => new List<RecordBatch>()).ToArray();
        foreach (var batch in rows)
        {
            var owner = aggregation.Spec.PartitionRows(batch, partitions);
            for (var p = 0; p < partitions; p++)
            {
                var selected = Enumerable.Range(0, owner.Length).Where(i => owner[i] == p).ToArray();
                if (selected.Length > 0)
                {
                    parts[p].Add(new RecordBatch(batch.Schema, Enumerable.Range(0, batch.ColumnCount).Select(c => Gather.Take(batch.Column(c), selected)), selected.Length));
                }
            }
        }

        var calls = parts.Select((part, p) => grains.GetGrain<IAggregationPartitionGrain>($"{checkpointLocation}|{p}").ApplyAsync(new AggregationTask
        {
            BatchId = batchId,
            Grouping = grouping,
            Aggregates = aggregates,
            InputSchemaJson = inputSchema,
            Rows = new ArrowBatches(arrowSchema, part),
            OutputMode = mode.ToString(),
            Watermark = watermark,
            CheckpointLocation = checkpointLocation,
            TimeZone = timeZone,
        })).ToList();
        var results = await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ShuffleResult(results.SelectMany(r => r.Rows.Batches).ToList(), results.Sum(r => r.Groups), results.Sum(r => r.Updated));
    }
}
