using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Client;

/// <summary>Where an embedded session keeps its tables and how it reaches storage.</summary>
public sealed record StreamingSessionOptions
{
    /// <summary>The warehouse root for table names: a local folder (default <c>./warehouse</c>) or a Blob URI.</summary>
    public string Warehouse { get; init; } = "warehouse";

    /// <summary>Credentials and endpoints for Blob locations (connection string or DefaultAzureCredential).</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>How often an idle default-trigger query looks for new data.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
