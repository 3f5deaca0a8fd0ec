using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Clustering;

/// <summary>How silos find each other and clients find gateways.</summary>
public enum ClusteringMode
{
    /// <summary>One silo on this machine, no membership storage: development only.</summary>
    Localhost,

    /// <summary>The membership table on Azure Table Storage (Azurite locally): any number of silos and clients.</summary>
    AzureTable,
}

/// <summary>
/// The cluster settings silos and clients share, from the <c>OrleansStreams:Cluster</c> section (environment
/// variables: <c>OrleansStreams__Cluster__ClusterId</c> and so on). The table's connection string defaults to the
/// storage connection string the object store uses, so one setting reaches both Blob and Table services.
/// </summary>
public sealed record ClusterSettings
{
    public const string SectionName = "OrleansStreams:Cluster";

    /// <summary>The object store's settings, read here too so Table and Blob share one credential setting.</summary>
    private const string StorageConnectionStringKey = "OrleansStreams:Storage:ConnectionString";
    private const string StorageConnectionStringEnvironmentVariable = "AZURE_STORAGE_CONNECTION_STRING";

    public string ClusterId { get; init; } = "orleans-streams";

    public string ServiceId { get; init; } = "orleans-streams";

    public ClusteringMode Clustering { get; init; } = ClusteringMode.Localhost;

    public AzureTableClusteringOptions Table { get; init; } = new();

    /// <summary>
    /// The Blob service holding the registries' grain state on a cluster on Azure Storage, when it is reached with
    /// DefaultAzureCredential (<c>BlobServiceUri</c>, or the public endpoint of <c>AccountName</c>); a connection string wins.
    /// </summary>
    public Uri? BlobServiceUri { get; init; }

    /// <summary>The Blob container of the registries' grain state on a cluster on Azure Storage.</summary>
    public string GrainStateContainer { get; init; } = DefaultGrainStateContainer;

    public const string DefaultGrainStateContainer = "orleans-streams-grains";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Client gateway port (0: no gateway on this silo).</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos and clients reach this silo at; by default this host's first non-loopback address.</summary>
    public IPAddress? AdvertisedIPAddress { get; init; }

    public static ClusterSettings FromConfiguration(IConfiguration configuration, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var section = configuration.GetSection(SectionName);
        var defaults = new ClusterSettings();
        var mode = section["Clustering"] is { Length: > 0 } text
            ? Enum.TryParse<ClusteringMode>(text, ignoreCase: true, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{SectionName}:Clustering is '{text}'; expected Localhost or AzureTable")
            : defaults.Clustering;
        return new ClusterSettings
        {
            ClusterId = NullIfBlank(section["ClusterId"]) ?? defaults.ClusterId,
            ServiceId = NullIfBlank(section["ServiceId"]) ?? defaults.ServiceId,
            Clustering = mode,
            SiloPort = Port(section, "SiloPort", defaults.SiloPort),
            GatewayPort = Port(section, "GatewayPort", defaults.GatewayPort),
            AdvertisedIPAddress = section["AdvertisedIPAddress"] is { Length: > 0 } ip
                ? IPAddress.TryParse(ip, out var address) ? address : throw new InvalidOperationException($"{SectionName}:AdvertisedIPAddress '{ip}' is not an IP address")
                : null,
            BlobServiceUri = ServiceUri(section, "BlobServiceUri", "blob"),
            GrainStateContainer = NullIfBlank(section["GrainStateContainer"]) ?? DefaultGrainStateContainer,
            Table = new AzureTableClusteringOptions
            {
                ConnectionString = NullIfBlank(section["ConnectionString"])
                    ?? NullIfBlank(configuration[StorageConnectionStringKey])
                    ?? NullIfBlank(environment(StorageConnectionStringEnvironmentVariable)),
                ServiceUri = ServiceUri(section, "TableServiceUri", "table"),
                TableName = NullIfBlank(section["TableName"]) ?? AzureTableClusteringOptions.DefaultTableName,
            },
        };
    }

    /// <summary>The endpoint under <paramref name="key"/>, or the public <paramref name="service"/> endpoint of <c>AccountName</c>.</summary>
    private static Uri? ServiceUri(IConfigurationSection section, string key, string service)
    {
        if (section[key] is { Length: > 0 } uri)
        {
            return Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{SectionName}:{key} '{uri}' is not an absolute URI");
        }

        return section["AccountName"] is { Length: > 0 } account
            ? new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{account}.{service}.core.windows.net/"))
            : null;
    }

    private static int Port(IConfigurationSection section, string key, int fallback) =>
        section[key] is not { Length: > 0 } text
            ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                ? port
                : throw new InvalidOperationException($"{SectionName}:{key} '{text}' is not a port number");

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
