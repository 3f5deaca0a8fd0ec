using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// The streaming runtime's settings on a silo: where grain state lives, how storage is reached, where queries may
/// read and write, and timings. Set them with <see cref="OrleansStreamsSilo.AddOrleansStreams(ISiloBuilder, Action{OrleansStreamsSiloOptions})"/>;
/// they are checked when the silo starts (<see cref="OrleansStreamsSiloOptionsValidator"/>).
/// </summary>
public sealed record OrleansStreamsSiloOptions
{
    /// <summary>Grain state (query definitions): a local folder or a Blob location.</summary>
    public string StateRoot { get; set; } = "state";

    /// <summary>Credentials and endpoints for Blob locations (connection strings or DefaultAzureCredential).</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>How often an idle default-trigger query looks for new data.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// On shutdown a running batch may finish within this time; past it the batch is abandoned: uncommitted,
    /// it is replayed from the offset log by the query's next activation.
    /// </summary>
    public TimeSpan BatchShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The period of each running query's resume reminder (see <c>StreamingQueryGrain</c>): after its silo died, a query
    /// resumes within the membership's failure detection time plus this period. Orleans refuses periods under
    /// <c>ReminderOptions.MinimumReminderPeriod</c> (1 minute by default); a shorter period here lowers that minimum.
    /// </summary>
    public TimeSpan ResumeReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether the silo activates the registry's running queries when it starts (<see cref="RunningQueriesResumer"/>):
    /// a cluster's silos do, so a restarted cluster resumes its queries at once; an embedded silo does not.
    /// </summary>
    public bool ResumeRunningQueriesOnStart { get; set; }

    /// <summary>
    /// True when the host registers the registries' grain storage (<see cref="OrleansStreamsSilo.CheckpointStorage"/>)
    /// itself — Azure Blob grain storage on a cluster on Azure Storage; false keeps it in the object store under <see cref="StateRoot"/>.
    /// </summary>
    public bool HostProvidesRegistryStorage { get; set; }

    /// <summary>The notification stream provider for cloudFiles.useNotifications; null leaves it out.</summary>
    public Notifications.NotificationOptions? Notifications { get; set; }

    /// <summary>The setting a silo host reads <see cref="AllowedLocations"/> from, named by refusals.</summary>
    public const string AllowedLocationsSetting = "OrleansStreams:Silo:AllowedLocations";

    /// <summary>
    /// The storage roots (folders, abfss://, wasbs:// or https:// prefixes) whose locations queries may read and write;
    /// null, or a root of <c>*</c>, allows every location (an embedded silo on a laptop). A query reaching elsewhere is refused.
    /// </summary>
    public IReadOnlyList<string>? AllowedLocations { get; set; }
}
