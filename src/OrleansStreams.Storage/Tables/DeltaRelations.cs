using System.Globalization;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Resolves the tables of a query: names through the catalog, <c>delta.`path`</c> through the object
/// store factory, with time travel (<c>VERSION AS OF</c>, <c>TIMESTAMP AS OF</c>, or the
/// <c>versionAsOf</c>/<c>timestampAsOf</c> options). Plan compilation is synchronous, so the log is read
/// here by waiting on the storage calls; they run on the thread pool, never on a grain scheduler.
/// </summary>
public sealed class DeltaRelations(DeltaCatalog catalog, ObjectStoreFactory stores) : IRelationProvider
{
    public RelationBinding ResolveTable(TableRelation table)
    {
        CatalogTable entry;
        try
        {
            entry = Wait(() => catalog.ResolveAsync(table.Name));
        }
        catch (TableNotFoundException)
        {
            throw new AnalysisException(
                "TABLE_OR_VIEW_NOT_FOUND",
                $"The table or view `{table.Name}` cannot be found. Verify the spelling and correctness of the schema and catalog.");
        }

        return Bind(new DeltaTable(catalog.OpenStore(entry)), table.AsOf?.Version, table.AsOf?.Timestamp, table.Name);
    }

    public RelationBinding ResolveSource(DataSourceRelation source)
    {
        if (!source.Format.Equals("delta", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Reading {source.Format} files at {source.Path} in a batch query is not supported yet; only Delta tables are");
        }

        var version = source.Options.Get("versionAsOf") is { } v ? long.Parse(v, CultureInfo.InvariantCulture) : (long?)null;
        return Bind(new DeltaTable(stores.Create(source.Path)), version, source.Options.Get("timestampAsOf"), source.Path);
    }

    private static SourceBinding Bind(DeltaTable table, long? version, string? timestamp, string name)
    {
        if (!Wait(() => table.ExistsAsync()))
        {
            throw new AnalysisException("DELTA_TABLE_NOT_FOUND", $"`{name}` is not a Delta table: no _delta_log found at {table.Store.Root}.");
        }

        var snapshot = timestamp is not null
            ? Wait(() => table.Log.GetSnapshotAsOfTimestampAsync(DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))
            : Wait(() => table.GetSnapshotAsync(version));
        return new SourceBinding(snapshot.Schema, new DeltaBatchSource(table, snapshot));
    }

    private static T Wait<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
}
