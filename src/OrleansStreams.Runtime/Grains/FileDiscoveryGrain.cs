using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>The discovery grain of one source (keyed by its checkpoint folder): it owns the source's file log.</summary>
public interface IFileDiscoveryGrain : IGrainWithStringKey
{
    Task<int> DiscoverAsync(DiscoverySpec spec);

    Task<long> BaselineAsync(DiscoverySpec spec);

    Task<long> LastSequenceAsync(DiscoverySpec spec);

    Task<IReadOnlyList<DiscoveredFile>> RangeAsync(DiscoverySpec spec, long after, long upTo, int? maxFiles);
}

/// <summary>
/// Keeps the file log in memory between calls (loaded from the checkpoint on activation), so planning a
/// batch does not re-read it; the log's durable form is its segments in the checkpoint.
/// </summary>
public sealed class FileDiscoveryGrain(OrleansStreamsEnvironment environment) : Grain, IFileDiscoveryGrain
{
    private FileDiscovery? discovery;
    private DiscoverySpec? current;

    public Task<int> DiscoverAsync(DiscoverySpec spec) => For(spec).DiscoverAsync(CancellationToken.None);

    public Task<long> BaselineAsync(DiscoverySpec spec) => For(spec).BaselineAsync(CancellationToken.None);

    public Task<long> LastSequenceAsync(DiscoverySpec spec) => For(spec).LastSequenceAsync(CancellationToken.None);

    public Task<IReadOnlyList<DiscoveredFile>> RangeAsync(DiscoverySpec spec, long after, long upTo, int? maxFiles) =>
        For(spec).RangeAsync(after, upTo, maxFiles, CancellationToken.None);

    private FileDiscovery For(DiscoverySpec spec)
    {
        if (discovery is null || current != spec)
        {
            discovery = new FileDiscovery(spec, environment.Stores);
            current = spec;
        }

        return discovery;
    }
}

/// <summary>A source's discovery through its grain.</summary>
public sealed class GrainFileDiscovery(IGrainFactory grains, DiscoverySpec spec) : IFileDiscovery
{
    private readonly IFileDiscoveryGrain grain = grains.GetGrain<IFileDiscoveryGrain>(spec.CheckpointFolder);

    public Task<int> DiscoverAsync(CancellationToken cancellationToken) => grain.DiscoverAsync(spec).WaitAsync(cancellationToken);

    public Task<long> BaselineAsync(CancellationToken cancellationToken) => grain.BaselineAsync(spec).WaitAsync(cancellationToken);

    public Task<long> LastSequenceAsync(CancellationToken cancellationToken) => grain.LastSequenceAsync(spec).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<DiscoveredFile>> RangeAsync(long after, long upTo, int? maxFiles, CancellationToken cancellationToken) =>
        grain.RangeAsync(spec, after, upTo, maxFiles).WaitAsync(cancellationToken);
}
