using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>What the runtime's grains need from their silo: storage access and timing settings.</summary>
public sealed class OrleansStreamsEnvironment(ObjectStoreFactory stores, TimeSpan pollInterval, TimeSpan? batchShutdownGrace = null)
{
    public ObjectStoreFactory Stores { get; } = stores;

    public TimeSpan PollInterval { get; } = pollInterval;

    /// <summary>How long a running batch may go on once its silo starts shutting down before it is abandoned (and replayed elsewhere).</summary>
    public TimeSpan BatchShutdownGrace { get; } = batchShutdownGrace ?? TimeSpan.FromSeconds(10);
}
