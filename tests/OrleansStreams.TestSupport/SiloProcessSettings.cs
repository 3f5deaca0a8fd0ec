namespace OrleansStreams.TestSupport;

/// <summary>
/// The environment of silo host processes that form one cluster on Azurite's Table service: Development, Azure Table
/// clustering, registries in a container of their own, and failure detection quick enough for a test (probe every
/// second, suspect after two misses, one vote declares a silo dead).
/// </summary>
public static class SiloProcessSettings
{
    public static Dictionary<string, string> ForCluster(string clusterId, string connectionString, string stateRoot) => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__OrleansStreams"] = "Information",
        ["OrleansStreams__Cluster__Clustering"] = "AzureTable",
        ["OrleansStreams__Cluster__ClusterId"] = clusterId,
        ["OrleansStreams__Cluster__ServiceId"] = clusterId,
        ["OrleansStreams__Cluster__GrainStateContainer"] = $"grains-{Guid.NewGuid():N}",
        ["OrleansStreams__Cluster__ConnectionString"] = connectionString,
        ["OrleansStreams__Silo__StateRoot"] = stateRoot,
        ["OrleansStreams__Silo__BatchShutdownGrace"] = "00:00:05",
        ["OrleansStreams__Membership__ProbeTimeout"] = "00:00:01",
        ["OrleansStreams__Membership__NumMissedProbesLimit"] = "2",
        ["OrleansStreams__Membership__NumVotesForDeathDeclaration"] = "1",
        ["OrleansStreams__Membership__TableRefreshTimeout"] = "00:00:02",
        ["OrleansStreams__Membership__IAmAliveTablePublishTimeout"] = "00:00:02",
    };
}
