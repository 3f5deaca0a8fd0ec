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
/// <c>versionAsOf</c>/<c>timestampAsOf</c> options). Plan compilation is synchronous, so the logs are read
/// ahead (<see cref="LoadAsync"/>) and the compiler then reads the snapshots that were loaded.
/// </summary>
public sealed class DeltaRelations(DeltaCatalog catalog, ObjectStoreFactory stores) : IRelationLoader
{
    /// <summary>Every table and Delta path <paramref name="plan"/> reads as a batch, at its snapshot now (or the one it travels to).</summary>
    public async Task<IRelationProvider> LoadAsync(LogicalPlan plan, CancellationToken cancellationToken)
    {
        var leaves = plan.Descendants().Where(n => n is TableRelation { Streaming: false } or DataSourceRelation { Streaming: false }).Distinct().ToList();
        var bindings = await Task.WhenAll(leaves.Select(leaf => leaf is TableRelation table
            ? ResolveTableAsync(table, cancellationToken)
            : ResolveSourceAsync((DataSourceRelation)leaf, cancellationToken))).ConfigureAwait(false);
        return new LoadedRelations(leaves.Zip(bindings).ToDictionary(p => p.First, p => p.Second));
    }

    public async Task<RelationBinding> ResolveTableAsync(TableRelation table, CancellationToken cancellationToken = default)
    {
        var (delta, _) = await OpenAsync(table.Name, cancellationToken).ConfigureAwait(false);
        return await BindAsync(delta, table.AsOf?.Version, table.AsOf?.Timestamp, table.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Delta table a catalog name refers to, with its entry; Spark's TABLE_OR_VIEW_NOT_FOUND when there is none.</summary>
    public async Task<(DeltaTable Table, CatalogTable Entry)> OpenAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var entry = await catalog.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
            return (new DeltaTable(catalog.OpenStore(entry)), entry);
        }
        catch (TableNotFoundException)
        {
            throw new AnalysisException(
                "TABLE_OR_VIEW_NOT_FOUND",
                $"The table or view `{name}` cannot be found. Verify the spelling and correctness of the schema and catalog.");
        }
    }

    /// <summary>
    /// The Delta table a statement names (<c>events</c>, <c>db.events</c> or <c>delta.`/path`</c>), with its catalog entry
    /// (null for a path); Spark's errors when there is no such table.
    /// </summary>
    public async Task<(DeltaTable Table, CatalogTable? Entry)> OpenAsync(Engine.Sql.QualifiedName name, CancellationToken cancellationToken = default)
    {
        DeltaTable table;
        CatalogTable? entry = null;
        if (name.TryGetPath(out var format, out var path))
        {
            if (format != "delta")
            {
                throw new AnalysisException("DELTA_ONLY_OPERATION", $"{name} is a {format} path; OPTIMIZE, VACUUM and DESCRIBE DETAIL need a Delta table");
            }

            table = new DeltaTable(stores.Create(path));
        }
        else
        {
            (table, entry) = await OpenAsync(name.ToString(), cancellationToken).ConfigureAwait(false);
        }

        await EnsureExistsAsync(table, name.ToString(), cancellationToken).ConfigureAwait(false);
        return (table, entry);
    }

    /// <summary>Raises Delta's DELTA_TABLE_NOT_FOUND unless the table's folder holds a Delta log.</summary>
    private static async Task EnsureExistsAsync(DeltaTable table, string name, CancellationToken cancellationToken)
    {
        if (!await table.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new AnalysisException("DELTA_TABLE_NOT_FOUND", $"`{name}` is not a Delta table: no _delta_log found at {table.Store.Root}.");
        }
    }

    public async Task<RelationBinding> ResolveSourceAsync(DataSourceRelation source, CancellationToken cancellationToken = default)
    {
        if (!source.Format.Equals("delta", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Reading {source.Format} files at {source.Path} in a batch query is not supported yet; only Delta tables are");
        }

        var version = source.Options.Get("versionAsOf") is { } v ? long.Parse(v, CultureInfo.InvariantCulture) : (long?)null;
        return await BindAsync(new DeltaTable(stores.Create(source.Path)), version, source.Options.Get("timestampAsOf"), source.Path, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SourceBinding> BindAsync(DeltaTable table, long? version, string? timestamp, string name, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(table, name, cancellationToken).ConfigureAwait(false);

        var snapshot = timestamp is not null
            ? await table.Log.GetSnapshotAsOfTimestampAsync(DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), cancellationToken).ConfigureAwait(false)
            : await table.GetSnapshotAsync(version, cancellationToken).ConfigureAwait(false);
        return new SourceBinding(snapshot.Schema, new DeltaBatchSource(table, snapshot));
    }
}
