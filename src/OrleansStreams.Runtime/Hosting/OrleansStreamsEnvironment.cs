using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>What the runtime's grains need from their silo: storage access and timing settings.</summary>
public sealed class OrleansStreamsEnvironment(ObjectStoreFactory stores, TimeSpan pollInterval)
{
    public ObjectStoreFactory Stores { get; } = stores;

    public TimeSpan PollInterval { get; } = pollInterval;
}
