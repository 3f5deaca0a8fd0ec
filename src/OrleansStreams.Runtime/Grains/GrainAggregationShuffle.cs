using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Expressions.Serialization;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Splits a batch's aggregation input by key over <c>shufflePartitions</c> aggregation grains (default 8),
/// sends each its rows as one columnar message, in parallel, and gathers what they emit.
/// </summary>
/// <param name="requestedPartitions">The session's count, for a checkpoint that has none yet (see <see cref="ShufflePartitionCount"/>).</param>
public sealed class GrainAggregationShuffle(IGrainFactory grains, IObjectStore checkpoint, string timeZone, int requestedPartitions = ShufflePartitionCount.Default) : IAggregationShuffle
{
    private readonly string checkpointLocation = checkpoint.Root;

    /// <summary>The checkpoint's count, read (or fixed) at the first batch: only stateful queries keep one.</summary>
    private int? partitions;

    public async Task<ShuffleResult> ApplyAsync(
        long batchId, AggregateInput aggregation, IReadOnlyList<RecordBatch> rows, OutputMode mode, long? watermark, StateScheme scheme, CancellationToken cancellationToken)
    {
        partitions ??= await ShufflePartitionCount.ResolveAsync(checkpoint, requestedPartitions, cancellationToken).ConfigureAwait(false);
        var parts = Split(aggregation, rows, partitions.Value);
        var grouping = aggregation.Grouping.Select(ExpressionJson.Serialize).ToArray();
        var aggregates = aggregation.Aggregates.Select(ExpressionJson.Serialize).ToArray();
        var inputSchema = SchemaJson.Serialize(aggregation.InputSchema);
        var arrowSchema = ArrowTypes.ToArrowSchema(aggregation.InputSchema);

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
            SketchHash = scheme.Sketches,
            RebasedAt = scheme.RebasedAt,
        })).ToList();
        var results = await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ShuffleResult(results.SelectMany(r => r.Rows.Batches).ToList(), results.Sum(r => r.Groups), results.Sum(r => r.Updated));
    }

    /// <summary>
    /// Each partition's rows, gathered from one pass over each batch's owners. Every partition gets a list, with or
    /// without rows: complete mode emits all groups, and each partition's state moves to this batch id.
    /// </summary>
    private static List<RecordBatch>[] Split(AggregateInput aggregation, IReadOnlyList<RecordBatch> rows, int partitions)
    {
        var parts = Enumerable.Range(0, partitions).Select(_ => new List<RecordBatch>()).ToArray();
        var counts = new int[partitions];
        foreach (var batch in rows)
        {
            var owner = aggregation.Spec.PartitionRows(batch, partitions);
            System.Array.Clear(counts);
            foreach (var p in owner)
            {
                counts[p]++;
            }

            var selected = counts.Select(c => new int[c]).ToArray();
            System.Array.Clear(counts);
            for (var i = 0; i < owner.Length; i++)
            {
                selected[owner[i]][counts[owner[i]]++] = i;
            }

            for (var p = 0; p < partitions; p++)
            {
                if (selected[p].Length > 0)
                {
                    parts[p].Add(new RecordBatch(batch.Schema, Enumerable.Range(0, batch.ColumnCount).Select(c => Gather.Take(batch.Column(c), selected[p])), selected[p].Length));
                }
            }
        }

        return parts;
    }
}
