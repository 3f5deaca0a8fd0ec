using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Host;

/// <summary>
/// The Orleans Dashboard at <see cref="Path"/> (section <c>OrleansStreams:Dashboard</c>). Outside Development it
/// asks for HTTP Basic credentials (over the ingress' TLS); without a configured password it lets nobody in.
/// </summary>
public sealed record DashboardSettings
{
    public const string SectionName = "OrleansStreams:Dashboard";
    public const string Path = "/dashboard";

    public bool Enabled { get; init; } = true;

    public string Username { get; init; } = "admin";

    /// <summary>From a secret store (a Container Apps secret, an environment variable); never in appsettings.json.</summary>
    public string? Password { get; init; }

    public static DashboardSettings FromConfiguration(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<DashboardSettings>() ?? new DashboardSettings();
}
