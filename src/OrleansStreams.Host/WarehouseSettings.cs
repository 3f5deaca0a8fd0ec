namespace OrleansStreams.Host;

/// <summary>
/// Where a deployment keeps its tables and their checkpoints, as the silo and the command read it from configuration:
/// <c>OrleansStreams:Warehouse</c> (by default <c>warehouse</c>) and <c>OrleansStreams:CheckpointRoot</c> (by default
/// the warehouse's <c>_checkpoints</c>).
/// </summary>
public static class WarehouseSettings
{
    public const string WarehouseKey = "OrleansStreams:Warehouse";
    public const string CheckpointRootKey = "OrleansStreams:CheckpointRoot";
    public const string DefaultWarehouse = "warehouse";

    /// <summary>The checkpoint root when none is configured: the warehouse's <c>_checkpoints</c>.</summary>
    public static string DefaultCheckpointRoot(string warehouse) => $"{warehouse.TrimEnd('/', '\\')}/_checkpoints";
}
