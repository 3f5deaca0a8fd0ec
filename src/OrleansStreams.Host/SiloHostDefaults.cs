using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Host;

/// <summary>
/// The host's default settings, below every other configuration source. They live in code, not in an
/// appsettings.json, so the host runs the same from its own app and from the CLI's <c>silo</c> command (whose
/// appsettings.json is the CLI's). The other defaults are those of the settings records.
/// </summary>
internal static class SiloHostDefaults
{
    private static readonly Dictionary<string, string?> Settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Orleans.Runtime.MembershipService"] = "Information",
    };

    /// <summary>
    /// Puts the defaults, then the appsettings.json (and appsettings.{environment}.json) of <paramref name="settingsFolder"/>,
    /// under the builder's own sources: the current folder's appsettings.json, environment variables and the command line win.
    /// </summary>
    public static void Apply(IConfigurationBuilder configuration, string environment, string? settingsFolder)
    {
        var lowest = new ConfigurationBuilder().AddInMemoryCollection(Settings);
        if (settingsFolder is not null && Path.GetFullPath(settingsFolder) != Path.GetFullPath(Directory.GetCurrentDirectory()))
        {
            lowest.AddJsonFile(Path.Combine(settingsFolder, "appsettings.json"), optional: true, reloadOnChange: false)
                .AddJsonFile(Path.Combine(settingsFolder, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
        }

        for (var i = 0; i < lowest.Sources.Count; i++)
        {
            configuration.Sources.Insert(i, lowest.Sources[i]);
        }
    }
}
