using Microsoft.Extensions.Logging;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Storage.Tables;

namespace OrleansStreams.Runtime.Grains;

/// <summary>Rebuilds a query's runner from its definition: plan, source, Delta sink, execution and checkpoint.</summary>
public static class QueryFactory
{
    /// <summary>What the definition's runner is built from: the plan, its sources and relations, the Delta sink and the checkpoint.</summary>
    /// <param name="logger">Where bad input decoded on this silo is reported.</param>
    public static async Task<QueryRunnerSpec> SpecAsync(
        QueryDefinition definition, ObjectStoreFactory stores, CancellationToken cancellationToken, IGrainFactory? grains = null, ILogger? logger = null)
    {
        var plan = PlanJson.Deserialize(definition.PlanJson);
        var catalog = new DeltaCatalog(stores.Create(definition.Warehouse), stores.Create);
        var checkpoint = stores.Create(definition.CheckpointLocation);
        var context = new QueryContext(NoTables.Instance) { Session = new SessionConfig(definition.TimeZone) }; // the execution binds the tables it loads
        var table = definition.SinkIsTable
            ? new DeltaTable(catalog.OpenStore(await catalog.ResolveOrCreateAsync(definition.Sink, cancellationToken).ConfigureAwait(false)))
            : new DeltaTable(stores.Create(definition.Sink));
        var sink = new DeltaSink(table, definition.PartitionBy, definition.MergeSchema, definition.Sink, definition.MaxRecordsPerFile);
        return new QueryRunnerSpec(plan, catalog, stores, checkpoint, sink, definition.OutputMode, definition.QueryName, context, new DeltaRelations(catalog, stores))
        {
            Grains = grains,
            Shuffle = grains is null ? null : new GrainAggregationShuffle(grains, checkpoint, definition.TimeZone, definition.ShufflePartitions),
            Logger = logger,
            ClaimInProcess = false, // the cluster keeps one activation per checkpoint; a dead silo's claim must not block its successor
        };
    }
}
