using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>What the runtime's grains need from their silo: storage access, where queries may reach, and timing settings.</summary>
public sealed class OrleansStreamsEnvironment(
    ObjectStoreFactory stores, TimeSpan pollInterval, TimeSpan? batchShutdownGrace = null, StorageRoots? allowedRoots = null, TimeSpan? resumeReminderPeriod = null)
{
    public ObjectStoreFactory Stores { get; } = stores;

    public TimeSpan PollInterval { get; } = pollInterval;

    /// <summary>How long a running batch may go on once its silo starts shutting down before it is abandoned (and replayed elsewhere).</summary>
    public TimeSpan BatchShutdownGrace { get; } = batchShutdownGrace ?? TimeSpan.FromSeconds(10);

    /// <summary>Where queries may read and write on this silo (<see cref="OrleansStreamsSiloOptions.AllowedLocations"/>).</summary>
    public StorageRoots AllowedRoots { get; } = allowedRoots ?? StorageRoots.Anywhere;

    /// <summary>The period of a running query's resume reminder: how long, at most, a query whose silo died waits for a live silo to resume it.</summary>
    public TimeSpan ResumeReminderPeriod { get; } = resumeReminderPeriod ?? TimeSpan.FromMinutes(1);
}
