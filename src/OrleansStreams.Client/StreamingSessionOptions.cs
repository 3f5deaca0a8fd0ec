using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Client;

/// <summary>Where an embedded session keeps its tables and how it reaches storage.</summary>
public sealed record StreamingSessionOptions
{
    /// <summary>The warehouse root for table names: a local folder (default <c>./warehouse</c>) or a Blob URI.</summary>
    public string Warehouse { get; init; } = "warehouse";

    /// <summary>Credentials and endpoints for Blob locations (connection string or DefaultAzureCredential).</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>
    /// Run Delta-sink queries on grains of an in-process silo (the default), as a cluster would; when
    /// false they run on a plain background loop. Memory, console and foreachBatch sinks always run here.
    /// </summary>
    public bool RunQueriesOnSilo { get; init; } = true;

    /// <summary>Where the embedded silo keeps grain state; by default a <c>_state</c> folder in the warehouse.</summary>
    public string? StateRoot { get; init; }

    /// <summary>How often an idle default-trigger query looks for new data.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The embedded silo's notification stream provider, for cloudFiles.useNotifications; null takes <see cref="Runtime.Notifications.NotificationOptions.Embedded"/>.</summary>
    public Runtime.Notifications.NotificationOptions? Notifications { get; init; }

    /// <summary>Where queries report what they skip or keep aside (bad records, deleted and empty files, schema changes); the embedded silo logs here too. None by default.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }
}
