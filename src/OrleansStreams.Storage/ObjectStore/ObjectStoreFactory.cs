using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// Turns a location string into an <see cref="IObjectStore"/> rooted there. Blob service clients
/// are cached per account endpoint, so many stores share connections and credentials.
/// </summary>
public sealed class ObjectStoreFactory
{
    private readonly StorageOptions _options;
    private readonly Lazy<TokenCredential> _credential;
    private readonly ConcurrentDictionary<string, BlobServiceClient> _services = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyDictionary<string, string>> _connectionStringsByAccount;

    /// <param name="options">Connection strings; accounts without one use <paramref name="credential"/>.</param>
    /// <param name="credential">Credential for accounts without a connection string; DefaultAzureCredential when null.</param>
    public ObjectStoreFactory(StorageOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _credential = new Lazy<TokenCredential>(() => credential ?? new DefaultAzureCredential());
        _connectionStringsByAccount = new Lazy<IReadOnlyDictionary<string, string>>(IndexConnectionStrings);
    }

    public IObjectStore Create(string location) => Create(StorageLocation.Parse(location));

    public IObjectStore Create(StorageLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Kind == StorageKind.Local)
        {
            return new LocalFileObjectStore(location.LocalPath!);
        }

        var service = ServiceFor(location);
        return new AzureBlobObjectStore(service.GetBlobContainerClient(location.Container), location.Path!);
    }

    /// <summary>Retries on the SDK's pipeline: exponential backoff for throttling and transient faults.</summary>
    internal static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        return options;
    }

    /// <summary>
    /// The service a Blob location is reached through: the account of a configured connection string, else the
    /// location's endpoint. Two spellings of one container (abfss:// and Azurite's path-style URI, with its connection
    /// string) have the same service.
    /// </summary>
    public string ServiceKey(StorageLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Kind != StorageKind.AzureBlob)
        {
            throw new ArgumentException($"{location} is not a Blob location", nameof(location));
        }

        return _connectionStringsByAccount.Value.ContainsKey(location.AccountName!)
            ? "cs:" + location.AccountName!.ToLowerInvariant()
            : "uri:" + location.BlobServiceUri!.AbsoluteUri;
    }

    private BlobServiceClient ServiceFor(StorageLocation location)
    {
        var key = ServiceKey(location);
        return _connectionStringsByAccount.Value.TryGetValue(location.AccountName!, out var connectionString)
            ? _services.GetOrAdd(key, _ => new BlobServiceClient(connectionString, ClientOptions()))
            : _services.GetOrAdd(key, _ => new BlobServiceClient(location.BlobServiceUri!, _credential.Value, ClientOptions()));
    }

    /// <summary>Connection strings keyed by the account they name (per-account entries win over the default).</summary>
    private Dictionary<string, string> IndexConnectionStrings()
    {
        var byAccount = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (_options.ConnectionString is { } connectionString)
        {
            byAccount[AccountNameOf(connectionString, "the default connection string")] = connectionString;
        }

        foreach (var (account, accountConnectionString) in _options.AccountConnectionStrings)
        {
            byAccount[account] = accountConnectionString;
        }

        return byAccount;
    }

    private static string AccountNameOf(string connectionString, string what)
    {
        try
        {
            // The SDK parses AccountName, BlobEndpoint and UseDevelopmentStorage=true for us.
            return new BlobServiceClient(connectionString).AccountName;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ArgumentException($"{what} ({StorageOptions.ConnectionStringKey} or {StorageOptions.ConnectionStringEnvironmentVariable}) is not a valid storage connection string: {e.Message}", e);
        }
    }
}
