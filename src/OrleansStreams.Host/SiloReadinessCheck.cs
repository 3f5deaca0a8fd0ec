using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace OrleansStreams.Host;

/// <summary>Ready when this silo is Active in the cluster's membership: joined, and not yet shutting down.</summary>
public sealed class SiloReadinessCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"{silo.SiloAddress} is active in cluster {silo.ClusterId}")
            : HealthCheckResult.Unhealthy($"{silo.SiloAddress} is {status} in cluster {silo.ClusterId}"));
    }
}
