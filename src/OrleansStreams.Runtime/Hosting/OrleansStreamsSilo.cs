using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// Adds the streaming runtime to an Orleans silo: <c>siloBuilder.AddOrleansStreams(o => o.StateRoot = "state")</c>, on the
/// silo an app already runs, as the <c>orleans-streams silo</c> host and embedded sessions do.
/// </summary>
public static class OrleansStreamsSilo
{
    /// <summary>The grain storage that keeps the cluster-wide grain state (the registries) under the configured state root.</summary>
    public const string CheckpointStorage = "checkpoints";

    /// <summary>The grain storage of grains keyed by a checkpoint location: their state lives in that checkpoint.</summary>
    public const string QueryCheckpointStorage = "query-checkpoints";

    /// <summary>The configuration section <see cref="AddOrleansStreams(ISiloBuilder, IConfiguration, Action{OrleansStreamsSiloOptions}?)"/> binds.</summary>
    public const string SectionName = "OrleansStreams:Silo";

    /// <summary>
    /// Adds the streaming runtime to the silo: the grains that run queries, their grain storage and services.
    /// The silo still needs its clustering and a reminder service (<c>UseInMemoryReminderService</c> for one silo).
    /// </summary>
    /// <param name="silo">The silo builder, as in <c>builder.UseOrleans(silo => silo.AddOrleansStreams(...))</c>.</param>
    /// <param name="configure">Sets the options, starting from their defaults; they are validated when the silo starts.</param>
    public static ISiloBuilder AddOrleansStreams(this ISiloBuilder silo, Action<OrleansStreamsSiloOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new OrleansStreamsSiloOptions();
        configure(options);
        return silo.AddOrleansStreams(options);
    }

    /// <summary>
    /// Adds the streaming runtime with options from <paramref name="configuration"/>: the <c>OrleansStreams:Silo</c> section
    /// (<c>StateRoot</c>, <c>PollInterval</c>, <c>BatchShutdownGrace</c>, <c>ResumeReminderPeriod</c>, <c>AllowedLocations</c>)
    /// and the storage credentials of <see cref="StorageOptions.FromConfiguration"/>; then <paramref name="configure"/>, when given.
    /// </summary>
    public static ISiloBuilder AddOrleansStreams(this ISiloBuilder silo, IConfiguration configuration, Action<OrleansStreamsSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return silo.AddOrleansStreams(options =>
        {
            configuration.GetSection(SectionName).Bind(options);
            options.Storage = StorageOptions.FromConfiguration(configuration);
            configure?.Invoke(options);
        });
    }

    /// <summary>Adds the streaming runtime with these <paramref name="options"/>, validated when the silo starts.</summary>
    public static ISiloBuilder AddOrleansStreams(this ISiloBuilder silo, OrleansStreamsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton<IConfigurationValidator>(new OrleansStreamsSiloOptionsValidator(options));
        // Built on first use, after the validator ran: an invalid setting is reported as such, not as a failed registration.
        silo.Services.AddSingleton(_ =>
        {
            var stores = new ObjectStoreFactory(options.Storage);
            var allowed = options.AllowedLocations is { } roots ? StorageRoots.Of(roots, stores) : StorageRoots.Anywhere;
            return new OrleansStreamsEnvironment(stores, options.PollInterval, options.BatchShutdownGrace, allowed, options.ResumeReminderPeriod);
        });
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
            silo.Services.AddGrainStorage(CheckpointStorage, (services, _) =>
                (IGrainStorage)ObjectStoreGrainStorage.InFolder(services.GetRequiredService<OrleansStreamsEnvironment>().Stores.Create(options.StateRoot)));
        }

        silo.Services.AddGrainStorage(QueryCheckpointStorage, (services, _) =>
        {
            var environment = services.GetRequiredService<OrleansStreamsEnvironment>();
            return (IGrainStorage)ObjectStoreGrainStorage.InCheckpoint(environment.Stores, environment.AllowedRoots);
        });
        if (options.Notifications is { } notifications)
        {
            silo.AddCloudFilesNotifications(notifications, options.Storage);
        }

        return silo;
    }
}
