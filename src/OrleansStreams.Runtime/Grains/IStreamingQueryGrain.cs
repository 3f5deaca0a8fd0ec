using Orleans.Concurrency;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The query grain, keyed by the checkpoint location: it owns the trigger, the offset log and the
/// commit log of one query. Any call reactivates it after its silo died, and it resumes from the checkpoint.
/// </summary>
public interface IStreamingQueryGrain : IGrainWithStringKey
{
    Task<QueryStatus> StartAsync(QueryDefinition definition);

    /// <summary>Starts the query last started on this checkpoint again, from its registered definition; a running query keeps running.</summary>
    Task<QueryStatus> StartRegisteredAsync();

    /// <summary>Answers while a batch runs (interleaved).</summary>
    [AlwaysInterleave]
    Task<QueryStatus> GetStatusAsync();

    /// <summary>What the query runs (plan, trigger, sink), or null when none was ever started here; answers while a batch runs.</summary>
    [AlwaysInterleave]
    Task<QueryDefinition?> GetDefinitionAsync();

    /// <summary>Runs batches until there is no new data.</summary>
    Task<QueryStatus> ProcessAllAvailableAsync();

    /// <summary>Stops the query until it is started again; answers while a batch runs, which may finish within the grace period.</summary>
    [AlwaysInterleave]
    Task StopAsync();
}
