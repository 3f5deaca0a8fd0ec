using OrleansStreams.Engine.Plans;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The storage a query definition sent by a client would read and write on a silo (checkpoint, warehouse, sink,
/// every source with its schema and bad-records locations, catalog tables at their own locations), and the check
/// that all of it lies within the silo's allowed storage roots: a shared cluster reads and writes only where it may.
/// </summary>
public static class QueryLocations
{
    /// <summary>Throws, naming each location outside <paramref name="roots"/> and the setting, before the query touches any storage.</summary>
    /// <exception cref="InvalidOperationException">A location lies outside the roots (this framework type crosses the grain boundary).</exception>
    public static async Task DemandAllowedAsync(QueryDefinition definition, StorageRoots roots, ObjectStoreFactory stores, CancellationToken cancellationToken)
    {
        if (roots.AllowsAnything)
        {
            return;
        }

        // The checkpoint, warehouse and sink first: reading the catalog for table locations needs the warehouse allowed.
        var outside = Outside(roots, Written(definition)).ToList();
        if (outside.Count == 0)
        {
            outside.AddRange(Outside(roots, await ReadAsync(definition, stores, cancellationToken).ConfigureAwait(false)));
        }

        if (outside.Count > 0)
        {
            throw new InvalidOperationException(
                $"the query {definition.QueryName ?? definition.CheckpointLocation} was refused: the cluster does not let queries read or write " +
                $"{string.Join(", ", outside)}: it allows only {string.Join(", ", roots.Names)} ({OrleansStreamsSiloOptions.AllowedLocationsSetting})");
        }
    }

    /// <summary>
    /// The same check for the grains a query calls (discovery, scan workers, aggregation partitions), which any cluster
    /// client can call too; it also stops a query resumed after the roots narrowed at its next batch.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="location"/> lies outside the roots.</exception>
    public static void DemandAllowed(StorageRoots roots, string what, string? location)
    {
        if (location is { Length: > 0 } && !Allows(roots, location))
        {
            throw new InvalidOperationException(
                $"the cluster does not let queries read or write the {what} {location}: it allows only {string.Join(", ", roots.Names)} " +
                $"({OrleansStreamsSiloOptions.AllowedLocationsSetting})");
        }
    }

    /// <summary>The locations named in the definition itself, described for a message.</summary>
    public static IEnumerable<(string What, string Location)> Written(QueryDefinition definition)
    {
        yield return ("checkpoint", definition.CheckpointLocation);
        yield return ("warehouse", definition.Warehouse);
        if (!definition.SinkIsTable)
        {
            yield return ("sink", definition.Sink);
        }
    }

    /// <summary>The plan's sources (a glob's folder, schema and bad-records locations) and catalog tables with their locations.</summary>
    public static async Task<IReadOnlyList<(string What, string Location)>> ReadAsync(QueryDefinition definition, ObjectStoreFactory stores, CancellationToken cancellationToken)
    {
        var locations = new List<(string What, string Location)>();
        var plan = PlanJson.Deserialize(definition.PlanJson);
        foreach (var source in plan.Descendants().OfType<DataSourceRelation>())
        {
            locations.Add(("source", PathGlob.Split(source.Path).Folder));
            foreach (var option in (string[])["schemaLocation", "badRecordsPath"])
            {
                if (CloudFilesOptions.Find(source.Options, option) is { Length: > 0 } location)
                {
                    locations.Add((option, location));
                }
            }
        }

        var catalog = new DeltaCatalog(stores.Create(definition.Warehouse), stores.Create);
        var tables = plan.Descendants().OfType<TableRelation>().Select(t => t.Name);
        foreach (var name in definition.SinkIsTable ? tables.Append(definition.Sink) : tables)
        {
            try
            {
                var table = await catalog.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
                locations.Add(($"table {name}", catalog.OpenStore(table).Root));
            }
            catch (TableNotFoundException)
            {
                // A sink table is created in the warehouse; a missing source fails the query on its own.
            }
        }

        return locations;
    }

    private static IEnumerable<string> Outside(StorageRoots roots, IEnumerable<(string What, string Location)> locations) =>
        locations.Where(l => !Allows(roots, l.Location)).Select(l => $"the {l.What} {l.Location}").Distinct();

    private static bool Allows(StorageRoots roots, string location)
    {
        try
        {
            return roots.Allows(location);
        }
        catch (ArgumentException)
        {
            return false; // not a location the silo could check
        }
    }
}
