using Microsoft.Extensions.Configuration;
using OrleansStreams.Runtime.Hosting;

namespace OrleansStreams.Host;

/// <summary>
/// Where queries may read and write on this silo: <c>OrleansStreams:Silo:AllowedLocations</c>, a list of folders and
/// abfss://, wasbs:// or https:// prefixes (indexed entries, or one value separated by ';'; <c>*</c> allows anything).
/// Unset, a shared cluster allows its own warehouse (<c>OrleansStreams:Warehouse</c>), checkpoint root
/// (<c>OrleansStreams:CheckpointRoot</c>, by default the warehouse's <c>_checkpoints</c>) and grain state root; Development
/// allows anything, as an embedded silo does. Relative folders are the silo's, from its working folder.
/// </summary>
internal static class AllowedLocationSettings
{
    /// <returns>The roots, or null for anything.</returns>
    public static IReadOnlyList<string>? FromConfiguration(IConfiguration configuration, bool development, string stateRoot)
    {
        var section = configuration.GetSection(OrleansStreamsSiloOptions.AllowedLocationsSetting);
        var configured = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .SelectMany(v => (v ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (configured.Count > 0)
        {
            return configured;
        }

        if (development)
        {
            return null;
        }

        var warehouse = NonBlank(configuration[WarehouseSettings.WarehouseKey]) ?? WarehouseSettings.DefaultWarehouse;
        var checkpoints = NonBlank(configuration[WarehouseSettings.CheckpointRootKey]) ?? WarehouseSettings.DefaultCheckpointRoot(warehouse);
        return [warehouse, checkpoints, stateRoot];
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
