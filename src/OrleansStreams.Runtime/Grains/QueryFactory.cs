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
    /// <param name="logger">Where bad input decoded on this silo is reported.</param>
    public static async Task<MicroBatchRunner> CreateRunnerAsync(
        QueryDefinition definition, ObjectStoreFactory stores, bool claimInProcess, CancellationToken cancellationToken, IGrainFactory? grains = null, ILogger? logger = null)
    {
        var plan = PlanJson.Deserialize(definition.PlanJson);
        var catalog = new DeltaCatalog(stores.Create(definition.Warehouse), stores.Create);
        var checkpoint = stores.Create(definition.CheckpointLocation);
        var sources = await StreamSources.CreateAllAsync(plan, catalog, stores, checkpoint, grains, logger, definition.TimeZone, cancellationToken).ConfigureAwait(false);
        var shuffle = grains is null ? null
            : new GrainAggregationShuffle(grains, checkpoint, definition.TimeZone, definition.ShufflePartitions);
        var context = new QueryContext(NoTables.Instance) { Session = new SessionConfig(definition.TimeZone) }; // the execution binds the tables it loads
        var execution = await IncrementalExecution.CreateAsync(
            plan, [.. sources.Sources.Select(s => s.Schema)], new DeltaRelations(catalog, stores), context, shuffle, cancellationToken).ConfigureAwait(false);
        var table = definition.SinkIsTable
            ? new DeltaTable(catalog.OpenStore(await EnsureTableAsync(catalog, definition.Sink, cancellationToken).ConfigureAwait(false)))
            : new DeltaTable(stores.Create(definition.Sink));
        var sink = new DeltaSink(table, definition.PartitionBy, definition.MergeSchema, definition.Sink);
        var mode = Enum.Parse<OutputMode>(definition.OutputMode, ignoreCase: true);
        return new MicroBatchRunner(checkpoint, sources, sink, execution, mode, definition.QueryName, claimInProcess);
    }

    public static async Task<CatalogTable> EnsureTableAsync(DeltaCatalog catalog, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (TableNotFoundException)
        {
            try
            {
                return await catalog.CreateAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (DeltaTableExistsException)
            {
                return await catalog.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
