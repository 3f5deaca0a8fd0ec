using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace OrleansStreams.Clustering;

/// <summary>Applies <see cref="ClusterSettings"/> to a silo or a client, so both sides agree on the cluster and its membership.</summary>
public static class ClusterSettingsExtensions
{
    public static ISiloBuilder UseClusterSettings(this ISiloBuilder silo, ClusterSettings settings)
    {
        if (settings.Clustering == ClusteringMode.Localhost)
        {
            return silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }

        settings.Table.Validate();
        silo.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        silo.UseAzureTableClustering(o => Copy(settings.Table, o));

        // Listen on every interface (containers), advertise the configured address or this host's own.
        return settings.AdvertisedIPAddress is { } address
            ? silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true)
            : silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
    }

    public static IClientBuilder UseClusterSettings(this IClientBuilder client, ClusterSettings settings)
    {
        if (settings.Clustering == ClusteringMode.Localhost)
        {
            return client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }

        settings.Table.Validate();
        client.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        return client.UseAzureTableClustering(o => Copy(settings.Table, o));
    }

    private static void Copy(AzureTableClusteringOptions from, AzureTableClusteringOptions to) =>
        (to.ConnectionString, to.ServiceUri, to.TableName) = (from.ConnectionString, from.ServiceUri, from.TableName);
}
