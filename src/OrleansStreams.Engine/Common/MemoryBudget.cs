namespace OrleansStreams.Engine.Common;

/// <summary>
/// Shares of the memory this process may use (the GC's limit: the container's, or DOTNET_GCHeapHardLimit), so buffers
/// sized from it keep a job inside a small heap as well as using a large one.
/// </summary>
public static class MemoryBudget
{
    /// <summary><paramref name="fraction"/> of the available memory, within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long Share(double fraction, long min, long max) =>
        Math.Clamp((long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * fraction), min, max);
}
