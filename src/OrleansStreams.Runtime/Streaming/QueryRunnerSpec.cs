using Microsoft.Extensions.Logging;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// What a query's runner is built from, whoever runs it: the query grain from its definition, the embedded session
/// from its DataFrame. Each <see cref="BuildAsync"/> reads the sources' latest schemas, so a runner built again after
/// a schema change reads the new one; <paramref name="Tables"/> loads the batch tables the plan reads, before each batch.
/// </summary>
public sealed record QueryRunnerSpec(
    LogicalPlan Plan, DeltaCatalog Catalog, ObjectStoreFactory Stores, IObjectStore Checkpoint, IStreamSink Sink, OutputMode Mode, string? Name, QueryContext Context, IRelationLoader Tables)
{
    /// <summary>The cluster, when file listing and scans run on grains; null runs them in this process.</summary>
    public IGrainFactory? Grains { get; init; }

    /// <summary>Where aggregation state lives when it is partitioned over grains; null keeps it in this process.</summary>
    public IAggregationShuffle? Shuffle { get; init; }

    /// <summary>Where bad input decoded here is reported.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Refuse a second runner on the checkpoint in this process; grains pass false (the cluster keeps one activation per checkpoint).</summary>
    public bool ClaimInProcess { get; init; } = true;

    public async Task<MicroBatchRunner> BuildAsync(CancellationToken cancellationToken)
    {
        var sources = await StreamSources.CreateAllAsync(Plan, Catalog, Stores, Checkpoint, Grains, Logger, Context.Session.TimeZone, cancellationToken).ConfigureAwait(false);
        var execution = await IncrementalExecution.CreateAsync(Plan, [.. sources.Sources.Select(s => s.Schema)], Tables, Context, Shuffle, cancellationToken).ConfigureAwait(false);
        return new MicroBatchRunner(Checkpoint, sources, Sink, execution, Mode, Name, ClaimInProcess);
    }
}
