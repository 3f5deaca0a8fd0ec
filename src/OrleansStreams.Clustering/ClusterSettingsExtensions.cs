using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace OrleansStreams.Clustering;

/// <summary>
/// Applies <see cref="ClusterSettings"/> to a silo or a client, so both sides agree on the cluster and its membership:
/// localhost clustering, or Orleans' Azure Table membership provider (silos) and gateway list (clients).
/// </summary>
public static class ClusterSettingsExtensions
{
    public static ISiloBuilder UseClusterSettings(this ISiloBuilder silo, ClusterSettings settings)
    {
        if (settings.Clustering == ClusteringMode.Localhost)
        {
            return silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }

        var table = settings.Table;
        table.Validate();
        silo.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        silo.UseAzureStorageClustering(o => (o.TableName, o.TableServiceClient) = (table.TableName, table.CreateServiceClient()));

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

        var table = settings.Table;
        table.Validate();
        client.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        return client.UseAzureStorageClustering(o => (o.TableName, o.TableServiceClient) = (table.TableName, table.CreateServiceClient()));
    }
}
