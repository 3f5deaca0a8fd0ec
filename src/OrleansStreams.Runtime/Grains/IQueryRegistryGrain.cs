namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The cluster's list of streaming queries: query names to checkpoint locations (the query grains' keys), kept
/// in grain state so a client can find and re-attach to a query by name, and list them, without scanning storage.
/// Query grains keep it current as they start and stop; one registry per cluster (<see cref="Key"/>).
/// </summary>
public interface IQueryRegistryGrain : IGrainWithStringKey
{
    public const string Key = "queries";

    /// <summary>Records a starting query; refused when another running query holds its name.</summary>
    Task RegisterAsync(QueryRegistration registration);

    /// <summary>Marks the query on this checkpoint stopped (with its error when it failed).</summary>
    Task MarkStoppedAsync(string checkpointLocation, string? error);

    Task<QueryRegistration[]> ListAsync();

    /// <summary>The query last started under this name, or null.</summary>
    Task<QueryRegistration?> FindAsync(string queryName);
}
