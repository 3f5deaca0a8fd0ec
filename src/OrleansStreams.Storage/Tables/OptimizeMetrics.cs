namespace OrleansStreams.Storage.Tables;

/// <summary>Sizes of a set of files, as Delta's OPTIMIZE reports them.</summary>
public sealed record FileSizeMetrics(long Min, long Max, double Avg, long TotalFiles, long TotalSize)
{
    public static FileSizeMetrics Of(IReadOnlyCollection<long> sizes) =>
        sizes.Count == 0 ? new(0, 0, 0, 0, 0) : new(sizes.Min(), sizes.Max(), sizes.Average(), sizes.Count, sizes.Sum());
}

/// <summary>What an <c>OPTIMIZE</c> did: the files it replaced and wrote, and the version it committed (null when nothing needed compacting).</summary>
public sealed record OptimizeMetrics(
    long? Version,
    FileSizeMetrics FilesAdded,
    FileSizeMetrics FilesRemoved,
    int PartitionsOptimized,
    int NumBins,
    int TotalConsideredFiles,
    int TotalFilesSkipped)
{
    public long NumFilesAdded => FilesAdded.TotalFiles;

    public long NumFilesRemoved => FilesRemoved.TotalFiles;
}
