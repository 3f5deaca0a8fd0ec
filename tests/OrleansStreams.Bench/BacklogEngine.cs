namespace OrleansStreams.Bench;

/// <summary>
/// One engine of the backlog case: the child part that runs it, the environment it gets (a heap limit, say),
/// and whether failing is an outcome to report (under a limit) or a failure of the run.
/// </summary>
internal sealed record BacklogEngine(string Name, string Description, string Part, IReadOnlyDictionary<string, string> Environment, bool MayFail)
{
    /// <summary>1 GiB: what PERFORMANCE.md's backlog measurement gave our engine, half an Azure silo's 2 GiB.</summary>
    public const string HeapHardLimit = "0x40000000";

    public static IReadOnlyList<BacklogEngine> All(int files) =>
    [
        new("ours", "ours, default embedded session", $"backlog-ours:{files}", new Dictionary<string, string>(), MayFail: false),
        new("ours1GiBHeap", "ours, DOTNET_GCHeapHardLimit=1 GiB", $"backlog-ours:{files}", new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapHardLimit }, MayFail: true),
        new("duckdb", $"DuckDB COPY … PARTITION_BY, memory_limit {BacklogDuckDb.MemoryLimit}", $"backlog-duckdb:{files}", new Dictionary<string, string>(), MayFail: false),
    ];
}
