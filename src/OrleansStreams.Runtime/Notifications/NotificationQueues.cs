using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Queues;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// The silo's access to notification queues: which account a source's queue is in (its
/// <c>cloudFiles.connectionString</c>, the silo's connection string for the source's account, or
/// DefaultAzureCredential at that account's queue endpoint) and a shared client per queue.
/// </summary>
public sealed class NotificationQueues
{
    private readonly StorageOptions storage;
    private readonly Lazy<TokenCredential> credential;
    private readonly ConcurrentDictionary<QueueConnection, INotificationQueue> clients = new();
    private readonly ConcurrentDictionary<QueueConnection, Task<INotificationQueue>> poisonQueues = new();

    public NotificationQueues(NotificationOptions options, StorageOptions storage, TokenCredential? credential = null)
    {
        Options = options;
        this.storage = storage;
        this.credential = new Lazy<TokenCredential>(() => credential ?? new DefaultAzureCredential());
    }

    public NotificationOptions Options { get; }

    /// <summary>The queue a notification-mode source reads; a clear error when it cannot be reached.</summary>
    public QueueConnection Resolve(DiscoverySpec spec)
    {
        var notifications = spec.Notifications ?? throw new ArgumentException($"The source {spec.Folder} is not in notification mode");
        if (notifications.ConnectionString is { } connectionString)
        {
            return new QueueConnection { QueueName = notifications.QueueName, ConnectionString = connectionString };
        }

        var location = StorageLocation.Parse(spec.Folder);
        if (location.Kind == StorageKind.Local)
        {
            throw new ArgumentException(
                $"cloudFiles.useNotifications reads BlobCreated events of Azure Blob Storage: the source {spec.Folder} is a local folder (use directory listing, or an abfss://, wasbs:// or https:// location)");
        }

        if (ConnectionStringFor(location.AccountName!) is { } accountConnectionString)
        {
            return new QueueConnection { QueueName = notifications.QueueName, ConnectionString = accountConnectionString };
        }

        if (!location.IsPublicEndpoint)
        {
            throw new ArgumentException(
                $"The queue {notifications.QueueName} of the source {spec.Folder} cannot be reached: set cloudFiles.connectionString (the queue endpoint of a path-style location such as Azurite's cannot be derived from it)");
        }

        var suffix = location.BlobServiceUri!.Host[(location.AccountName!.Length + ".blob.".Length)..];
        return new QueueConnection { QueueName = notifications.QueueName, ServiceUri = $"https://{location.AccountName}.queue.{suffix}" };
    }

    /// <summary>A queue in the provider's default account (where its own messages go when only a name is given).</summary>
    public QueueConnection Default(string queueName)
    {
        var connectionString = Options.ConnectionString ?? storage.ConnectionString;
        if (connectionString is null && Options.QueueServiceUri is null)
        {
            throw new InvalidOperationException(
                $"The notification stream provider has no default queue account for {queueName}: set NotificationOptions.ConnectionString or QueueServiceUri (or the silo's storage connection string)");
        }

        return new QueueConnection { QueueName = queueName, ConnectionString = connectionString, ServiceUri = connectionString is null ? Options.QueueServiceUri!.AbsoluteUri.TrimEnd('/') : null };
    }

    public INotificationQueue Client(QueueConnection queue) => clients.GetOrAdd(queue, q => Options.QueueService is { } service
        ? service.Open(q)
        : new AzureNotificationQueue(q.ConnectionString is { } connectionString
            ? new QueueClient(connectionString, q.QueueName, ClientOptions())
            : new QueueClient(new Uri($"{q.ServiceUri!.TrimEnd('/')}/{q.QueueName}"), credential.Value, ClientOptions())));

    /// <summary>The poison queue of <paramref name="queue"/>, created on first use.</summary>
    public Task<INotificationQueue> PoisonAsync(QueueConnection queue, CancellationToken cancellationToken) =>
        poisonQueues.GetOrAdd(queue, async q =>
        {
            var poison = Client(q.Poison(Options.PoisonQueueSuffix));
            await poison.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return poison;
        });

    /// <summary>Forgets a poison queue whose creation failed, so the next message tries again.</summary>
    public void ForgetPoison(QueueConnection queue) => poisonQueues.TryRemove(queue, out _);

    private string? ConnectionStringFor(string account)
    {
        if (storage.AccountConnectionStrings.TryGetValue(account, out var accountConnectionString))
        {
            return accountConnectionString;
        }

        return storage.ConnectionString is { } connectionString
            && new QueueServiceClient(connectionString).AccountName.Equals(account, StringComparison.OrdinalIgnoreCase)
            ? connectionString
            : null;
    }

    private static QueueClientOptions ClientOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        return options;
    }
}
