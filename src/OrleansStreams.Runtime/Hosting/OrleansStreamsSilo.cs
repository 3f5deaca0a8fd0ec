using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>Where a silo keeps grain state and how it reaches storage.</summary>
public sealed record OrleansStreamsSiloOptions
{
    /// <summary>Grain state (query definitions): a local folder or a Blob location.</summary>
    public string StateRoot { get; init; } = "state";

    public StorageOptions Storage { get; init; } = new();

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// On shutdown a running batch may finish within this time; past it the batch is abandoned: uncommitted,
    /// it is replayed from the offset log by the query's next activation.
    /// </summary>
    public TimeSpan BatchShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The period of each running query's resume reminder (see <c>StreamingQueryGrain</c>): after its silo died, a query
    /// resumes within the membership's failure detection time plus this period. Orleans refuses periods under
    /// <c>ReminderOptions.MinimumReminderPeriod</c> (1 minute by default); a shorter period here lowers that minimum.
    /// </summary>
    public TimeSpan ResumeReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the silo activates the registry's running queries when it starts (<see cref="RunningQueriesResumer"/>):
    /// a cluster's silos do, so a restarted cluster resumes its queries at once; an embedded silo does not.
    /// </summary>
    public bool ResumeRunningQueriesOnStart { get; init; }

    /// <summary>
    /// True when the host registers the registries' grain storage (<see cref="OrleansStreamsSilo.CheckpointStorage"/>)
    /// itself — Azure Blob grain storage on a cluster on Azure Storage; false keeps it in the object store under <see cref="StateRoot"/>.
    /// </summary>
    public bool HostProvidesRegistryStorage { get; init; }

    /// <summary>The notification stream provider for cloudFiles.useNotifications; null leaves it out.</summary>
    public Notifications.NotificationOptions? Notifications { get; init; }

    /// <summary>The setting a silo host reads <see cref="AllowedLocations"/> from, named by refusals.</summary>
    public const string AllowedLocationsSetting = "OrleansStreams:Silo:AllowedLocations";

    /// <summary>
    /// The storage roots (folders, abfss://, wasbs:// or https:// prefixes) whose locations queries may read and write;
    /// null, or a root of <c>*</c>, allows every location (an embedded silo on a laptop). A query reaching elsewhere is refused.
    /// </summary>
    public IReadOnlyList<string>? AllowedLocations { get; init; }
}

/// <summary>Silo wiring of the streaming runtime.</summary>
public static class OrleansStreamsSilo
{
    /// <summary>The grain storage that keeps the cluster-wide grain state (the registries) under the configured state root.</summary>
    public const string CheckpointStorage = "checkpoints";

    /// <summary>The grain storage of grains keyed by a checkpoint location: their state lives in that checkpoint.</summary>
    public const string QueryCheckpointStorage = "query-checkpoints";

    public static ISiloBuilder AddOrleansStreams(this ISiloBuilder silo, OrleansStreamsSiloOptions options)
    {
        var stores = new ObjectStoreFactory(options.Storage);
        var allowed = options.AllowedLocations is { } roots ? StorageRoots.Of(roots, stores) : StorageRoots.Anywhere;
        silo.Services.AddSingleton(new OrleansStreamsEnvironment(stores, options.PollInterval, options.BatchShutdownGrace, allowed, options.ResumeReminderPeriod));
        silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromTicks(Math.Min(o.MinimumReminderPeriod.Ticks, options.ResumeReminderPeriod.Ticks)));
        silo.Services.AddSingleton(new Grains.ScanSlots());
        silo.Services.AddSingleton<SiloShutdownSignal>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<SiloShutdownSignal>());
        if (options.ResumeRunningQueriesOnStart)
        {
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RunningQueriesResumer>();
        }

        if (!options.HostProvidesRegistryStorage)
        {
            silo.Services.AddGrainStorage(CheckpointStorage, (_, _) => (IGrainStorage)ObjectStoreGrainStorage.InFolder(stores.Create(options.StateRoot)));
        }

        silo.Services.AddGrainStorage(QueryCheckpointStorage, (_, _) => (IGrainStorage)ObjectStoreGrainStorage.InCheckpoint(stores, allowed));
        if (options.Notifications is { } notifications)
        {
            silo.AddCloudFilesNotifications(notifications, options.Storage);
        }

        return silo;
    }
}
