using System.Text.Json.Nodes;

namespace OrleansStreams.Bench;

/// <summary>
/// Steadier than time on a shared machine: what a run allocated, its full GCs and how far the thread pool
/// grew, counted from <see cref="Start"/> in this process.
/// </summary>
internal readonly record struct RunCosts(long AllocatedBytes, int Gen2Collections, long WorkItems)
{
    public static RunCosts Start() => new(GC.GetTotalAllocatedBytes(), GC.CollectionCount(2), ThreadPool.CompletedWorkItemCount);

    public JsonObject Since() => new()
    {
        ["allocatedGb"] = Math.Round((GC.GetTotalAllocatedBytes() - AllocatedBytes) / 1e9, 2),
        ["gen2Collections"] = GC.CollectionCount(2) - Gen2Collections,
        ["threadPoolWorkItems"] = ThreadPool.CompletedWorkItemCount - WorkItems,
        ["threadPoolThreads"] = ThreadPool.ThreadCount,
    };
}
