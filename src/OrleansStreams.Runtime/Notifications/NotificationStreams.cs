namespace OrleansStreams.Runtime.Notifications;

/// <summary>Names of the notification stream provider and its stream namespaces.</summary>
public static class NotificationStreams
{
    /// <summary>The persistent stream provider over the storage queues.</summary>
    public const string ProviderName = "cloudfiles-notifications";

    /// <summary>Streams keyed by a source's checkpoint folder, consumed by that source's discovery grain.</summary>
    public const string DiscoveryNamespace = "cloudfiles-discovery";

    /// <summary>
    /// Streams keyed by a queue name: <see cref="BlobCreatedEvent"/>s produced on one are written to that queue
    /// (in the provider's default account) as Event Grid JSON, and come back through the pulling agents like Azure's own.
    /// </summary>
    public const string QueueNamespace = "cloudfiles-queue";

    /// <summary>The size limit of a storage-queue message.</summary>
    public const int MaxMessageBytes = 64 * 1024;
}
