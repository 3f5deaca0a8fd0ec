using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace OrleansStreams.Clustering;

/// <summary>
/// The gateways a client may connect to: the active silos of its cluster that run a gateway, read from the
/// membership table the silos keep, refreshed every <see cref="GatewayOptions.GatewayListRefreshPeriod"/>.
/// </summary>
public sealed class AzureTableGatewayListProvider : IGatewayListProvider
{
    private readonly TableClient table;
    private readonly string partition;

    public AzureTableGatewayListProvider(IOptions<AzureTableClusteringOptions> options, IOptions<ClusterOptions> cluster, IOptions<GatewayOptions> gateway)
        : this(MembershipTableClientFactory.Create(options.Value), cluster.Value.ClusterId, gateway.Value.GatewayListRefreshPeriod)
    {
    }

    public AzureTableGatewayListProvider(TableClient table, string clusterId, TimeSpan refreshPeriod)
    {
        this.table = table;
        partition = SiloEntity.PartitionKey(clusterId);
        MaxStaleness = refreshPeriod;
    }

    public TimeSpan MaxStaleness { get; }

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Status eq {nameof(SiloStatus.Active)}");
        var gateways = new List<Uri>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (SiloEntity.Gateway(row) is { } gateway)
            {
                gateways.Add(gateway.ToGatewayUri());
            }
        }

        return gateways;
    }
}
