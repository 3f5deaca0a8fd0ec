using OrleansStreams.Engine.Aggregation;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Expressions.Serialization;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Grains;

/// <summary>A partition's emitted rows and its state size.</summary>
[GenerateSerializer]
[Immutable]
public sealed record AggregationResult([property: Id(0)] ArrowBatches Rows, [property: Id(1)] long Groups, [property: Id(2)] long Updated);

/// <summary>One key range of a streaming aggregation (keyed <c>&lt;checkpoint&gt;|&lt;partition&gt;</c>).</summary>
public interface IAggregationPartitionGrain : IGrainWithStringKey
{
    /// <summary>Folds a batch's rows into the partition's state and returns the rows to emit.</summary>
    Task<AggregationResult> ApplyAsync(AggregationTask task);
}

/// <summary>
/// Holds its key range's state in memory, versioned by batch id: a batch is applied on top of the state
/// of the batch before it, reloaded from the checkpoint whenever the state in memory is not exactly that
/// (a replayed batch, a new activation after a failure). Each batch saves what it changed.
/// </summary>
public sealed class AggregationPartitionGrain(OrleansStreamsEnvironment environment) : Grain, IAggregationPartitionGrain
{
    private AggregationSpec? spec;
    private AggregationState? state;
    private long appliedThrough = -2;
    private long? loadedRebase;

    /// <summary>Kept from batch to batch: a state snapshot may still be on its way out in the background.</summary>
    private IncrementalStateStore? store;

    public async Task<AggregationResult> ApplyAsync(AggregationTask task)
    {
        QueryLocations.DemandAllowed(environment.AllowedRoots, "checkpoint", task.CheckpointLocation);
        var partition = this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().LastIndexOf('|') + 1)..];
        var store = IncrementalStateStore.Reuse(ref this.store, IncrementalStateStore.OfPartition(environment.Stores.Create(task.CheckpointLocation), partition, task.RebasedAt));
        spec ??= AggregationSpec.Bind(
            task.Grouping.Select(ExpressionJson.Deserialize).ToList(),
            task.Aggregates.Select(ExpressionJson.Deserialize).ToList(),
            SchemaJson.Parse(task.InputSchemaJson),
            session: new SessionConfig(task.TimeZone));
        if (state is null || appliedThrough != task.BatchId - 1 || state.SketchHash != task.SketchHash || loadedRebase != task.RebasedAt)
        {
            state = await store.LoadAsync(spec.NewState(task.SketchHash), task.BatchId - 1, CancellationToken.None);
            loadedRebase = task.RebasedAt;
        }

        appliedThrough = -2; // until this batch is saved, the state in memory is no batch's
        foreach (var batch in task.Rows.Batches)
        {
            state.Update(batch, task.Watermark);
        }

        var emitted = state.Emit(Enum.Parse<OutputMode>(task.OutputMode), task.Watermark);
        var updated = state.ChangedCount;
        await store.SaveAsync(task.BatchId, state, CancellationToken.None);
        appliedThrough = task.BatchId;
        return new AggregationResult(new ArrowBatches(ArrowTypes.ToArrowSchema(spec.OutputSchema), [emitted]), state.GroupCount, updated);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (store is not null)
        {
            await store.FlushAsync();
        }
    }
}
