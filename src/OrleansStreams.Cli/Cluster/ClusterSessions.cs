using System.Globalization;
using OrleansStreams.Client;
using OrleansStreams.Clustering;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Cli.Cluster;

/// <summary>
/// Sessions connected to the configured cluster through its gateways (the membership table's, with Azure Table
/// clustering), as <see cref="StreamingSession.ConnectAsync"/> does, with one clear line naming the settings to
/// fix when no cluster answers.
/// </summary>
internal static class ClusterSessions
{
    private const string ConnectTimeoutKey = "OrleansStreams:Cluster:ConnectTimeout";

    public static async Task<StreamingSession> ConnectAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        var cluster = ClusterSettings.FromConfiguration(settings.Configuration);
        var options = new StreamingSessionOptions
        {
            // The silos resolve these paths, not this process: a relative folder would land in a silo's working folder.
            Warehouse = ClusterPath(settings.Warehouse),
            Storage = StorageOptions.FromConfiguration(settings.Configuration),
            PollInterval = TimeSpan.FromMilliseconds(250),
        };
        if (cluster.Clustering == ClusteringMode.AzureTable && string.IsNullOrWhiteSpace(cluster.Table.ConnectionString) && cluster.Table.ServiceUri is null)
        {
            throw new InvalidOperationException(
                $"no cluster to connect to: OrleansStreams:Cluster:Clustering is AzureTable but neither OrleansStreams:Cluster:ConnectionString nor " +
                "OrleansStreams:Storage:ConnectionString (AZURE_STORAGE_CONNECTION_STRING) nor OrleansStreams:Cluster:AccountName says where its membership table is");
        }

        // The grain client retries the gateways until cancelled: a live cluster answers within a second or two.
        var patience = ConnectTimeout(settings);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(patience);
        try
        {
            return await StreamingSession.ConnectAsync(cluster, options, timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            var reason = e is OperationCanceledException ? string.Create(CultureInfo.InvariantCulture, $"within {patience.TotalSeconds:0.#} s, {ConnectTimeoutKey}") : Reason(e);
            throw new InvalidOperationException($"no cluster reachable: {Where(cluster)} did not answer ({reason}); {Fix(cluster)}", e);
        }
    }

    /// <summary>A local path made absolute; storage URIs as they are.</summary>
    public static string ClusterPath(string location) =>
        StorageLocation.Parse(location) is { Kind: StorageKind.Local, LocalPath: { } local } && !location.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? local : location;

    private static string Where(ClusterSettings cluster) => cluster.Clustering == ClusteringMode.Localhost
        ? $"the localhost gateway on port {cluster.GatewayPort} (cluster '{cluster.ClusterId}')"
        : $"cluster '{cluster.ClusterId}' (gateways from membership table {cluster.Table.TableName})";

    private static string Fix(ClusterSettings cluster) => cluster.Clustering == ClusteringMode.Localhost
        ? "start a silo (orleans-streams silo), or set OrleansStreams:Cluster:GatewayPort to its gateway port, or OrleansStreams:Cluster:Clustering=AzureTable with "
          + "OrleansStreams:Cluster:ClusterId and OrleansStreams:Storage:ConnectionString for a cluster on Azure Storage"
        : "start its silos (infra/local-stack.sh up), or check OrleansStreams:Cluster:ClusterId and OrleansStreams:Cluster:ConnectionString (or OrleansStreams:Storage:ConnectionString)";

    private static TimeSpan ConnectTimeout(CliSettings settings) => settings.Configuration[ConnectTimeoutKey] switch
    {
        null or "" => TimeSpan.FromSeconds(15),
        var text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero => value,
        var text => throw new ArgumentException($"{ConnectTimeoutKey} must be a positive time span such as 00:00:30, not '{text}'"),
    };

    private static string Reason(Exception e)
    {
        var message = (e is InvalidOperationException { InnerException: { } cause } ? cause : e).Message;
        var newline = message.IndexOfAny(['\r', '\n']);
        return (newline < 0 ? message : message[..newline]).TrimEnd('.');
    }
}
