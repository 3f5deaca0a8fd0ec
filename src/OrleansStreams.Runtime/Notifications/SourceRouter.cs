using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>A file a source takes, found in one event.</summary>
public sealed record RoutedFile(NotificationSubscription Subscription, NotifiedFile File);

/// <summary>
/// Finds the sources a BlobCreated event is for: those reading the queue it came from whose folder holds the
/// blob (same account, container and path prefix) and whose glob, pathGlobFilter and modification bounds take it.
/// </summary>
public sealed class SourceRouter
{
    private readonly Dictionary<string, List<SourceRoute>> byQueue;

    public SourceRouter(NotificationSubscriptions subscriptions)
    {
        Version = subscriptions.Version;
        byQueue = subscriptions.Subscriptions
            .Select(s => new SourceRoute(s))
            .GroupBy(r => r.Subscription.Queue.Address(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public static SourceRouter Empty { get; } = new(new NotificationSubscriptions(-1, []));

    public long Version { get; }

    /// <summary>The queues some source reads (by address, each with the connection of its first source).</summary>
    public IEnumerable<(string Address, QueueConnection Connection)> Queues => byQueue.Select(q => (q.Key, q.Value[0].Subscription.Queue));

    /// <summary>The folders read through a queue, for messages.</summary>
    public IEnumerable<string> FoldersOf(string queueAddress) =>
        byQueue.TryGetValue(queueAddress, out var routes) ? routes.Select(r => r.Subscription.Source.Folder) : [];

    public IReadOnlyList<RoutedFile> Route(string queueAddress, BlobCreatedEvent blob)
    {
        if (!byQueue.TryGetValue(queueAddress, out var routes) || !TryParse(blob.Url, out var location))
        {
            return [];
        }

        var found = new List<RoutedFile>();
        foreach (var route in routes)
        {
            if (route.KeyOf(location) is { } key && route.Filter.Accepts(key, blob.EventTime))
            {
                found.Add(new RoutedFile(route.Subscription, new NotifiedFile(key, blob.ContentLength, blob.EventTime)));
            }
        }

        return found;
    }

    private static bool TryParse(string url, out StorageLocation location)
    {
        try
        {
            location = StorageLocation.Parse(url);
            return location.Kind == StorageKind.AzureBlob;
        }
        catch (ArgumentException)
        {
            location = null!;
            return false;
        }
    }

    private sealed class SourceRoute(NotificationSubscription subscription)
    {
        private readonly StorageLocation folder = StorageLocation.Parse(subscription.Source.Folder);

        public NotificationSubscription Subscription { get; } = subscription;

        public DiscoveryFilter Filter { get; } = new(subscription.Source);

        /// <summary>The blob's key relative to the source folder, or null when it is elsewhere.</summary>
        public string? KeyOf(StorageLocation blob)
        {
            if (!string.Equals(blob.AccountName, folder.AccountName, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(blob.Container, folder.Container, StringComparison.Ordinal))
            {
                return null;
            }

            if (folder.Path!.Length == 0)
            {
                return blob.Path!.Length == 0 ? null : blob.Path;
            }

            return blob.Path!.Length > folder.Path.Length + 1 && blob.Path.StartsWith(folder.Path + "/", StringComparison.Ordinal)
                ? blob.Path[(folder.Path.Length + 1)..]
                : null;
        }
    }
}
