using Orleans.Concurrency;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The query grain, keyed by the checkpoint location: it owns the trigger, the offset log and the
/// commit log of one query. Any call reactivates it after its silo died, and it resumes from the checkpoint.
/// </summary>
public interface IStreamingQueryGrain : IGrainWithStringKey
{
    Task<QueryStatus> StartAsync(QueryDefinition definition);

    /// <summary>Answers while a batch runs (interleaved).</summary>
    [AlwaysInterleave]
    Task<QueryStatus> GetStatusAsync();

    /// <summary>Runs batches until there is no new data.</summary>
    Task<QueryStatus> ProcessAllAvailableAsync();

    Task StopAsync();
}
