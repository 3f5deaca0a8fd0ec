using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansStreams.Clustering;

namespace OrleansStreams.Client;

/// <summary>
/// A grain client connected to a cluster through its gateways: with Azure Table clustering the gateway list is
/// read from the membership table the silos keep, so the client needs only the cluster id and the table's account.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterConnection(IHost host) => this.host = host;

    /// <summary>The connected grain client, for <see cref="StreamingSession.Connect"/> or your own grain calls.</summary>
    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects with the <c>OrleansStreams:Cluster</c> settings of <paramref name="configuration"/>.</summary>
    public static Task<ClusterConnection> ConnectAsync(IConfiguration configuration, CancellationToken cancellationToken = default) =>
        ConnectAsync(ClusterSettings.FromConfiguration(configuration), cancellationToken);

    /// <summary>Connects to the cluster <paramref name="settings"/> describe: its id, and localhost or Azure Table clustering.</summary>
    /// <exception cref="InvalidOperationException">No gateway of the cluster answered.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ClusterSettings settings, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseClusterSettings(settings).AddActivityPropagation());
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new InvalidOperationException(
                $"Could not connect to cluster '{settings.ClusterId}' ({settings.Clustering} clustering{(settings.Clustering == ClusteringMode.AzureTable ? $", table {settings.Table.TableName}" : string.Empty)}): {e.Message}", e);
        }

        return new ClusterConnection(host);
    }

    /// <summary>Closes the connection; the cluster's queries keep running.</summary>
    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().ConfigureAwait(false);
        host.Dispose();
    }
}
