using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;

namespace OrleansStreams.Clustering;

/// <summary>Wires the Azure Table membership table into silos and its gateway list into clients.</summary>
public static class AzureTableClusteringExtensions
{
    public static ISiloBuilder UseAzureTableClustering(this ISiloBuilder silo, Action<AzureTableClusteringOptions> configure)
    {
        silo.Services.Configure(configure);
        silo.Services.AddSingleton<IMembershipTable, AzureTableMembershipTable>();
        return silo;
    }

    public static IClientBuilder UseAzureTableClustering(this IClientBuilder client, Action<AzureTableClusteringOptions> configure)
    {
        client.Services.Configure(configure);
        client.Services.AddSingleton<IGatewayListProvider, AzureTableGatewayListProvider>();
        return client;
    }
}
