using System.CommandLine;
using OrleansStreams.Host;

namespace OrleansStreams.Cli.Commands;

/// <summary>
/// <c>orleans-streams silo</c>: runs the silo host of src/OrleansStreams.Host in this process until Ctrl+C or SIGTERM.
/// Its settings follow the Generic Host: appsettings.json (beside the tool, then in the current folder), environment
/// variables (<c>OrleansStreams__Cluster__Clustering=AzureTable</c>) and <c>--Key=value</c> arguments
/// (<c>--OrleansStreams:Cluster:SiloPort=11112</c>, <c>--urls http://127.0.0.1:8081</c>), which are handed to the host.
/// </summary>
internal static class SiloCommand
{
    public static Command Create(CliOptions options)
    {
        var command = new Command("silo", """
            Host a silo of the streaming runtime (health at /healthz and /readyz, dashboard at /dashboard).
            Local grain state (./state) and localhost clustering by default; the settings OrleansStreams:Cluster:Clustering=AzureTable,
            OrleansStreams:Cluster:ClusterId, OrleansStreams:Storage:ConnectionString and OrleansStreams:Silo:StateRoot join a cluster
            on Azurite or Azure. Pass them as environment variables (OrleansStreams__Cluster__ClusterId) or as --Key=value arguments.
            """)
        {
            TreatUnmatchedTokensAsErrors = false, // the host's own --Key=value settings and --urls
        };
        CommandRunner.SetAction(command, options, (result, _, cancellationToken) =>
            SiloHost.RunAsync([.. result.UnmatchedTokens], cancellationToken, settingsFolder: AppContext.BaseDirectory));
        return command;
    }
}
