namespace OrleansStreams.Runtime.Streaming;

/// <summary>The file log of a source: finds new files and numbers each once. Local, or owned by a discovery grain.</summary>
public interface IFileDiscovery
{
    /// <summary>Lists the folder and logs the files not seen before; returns how many were new.</summary>
    Task<int> DiscoverAsync(CancellationToken cancellationToken);

    /// <summary>The sequence processing starts after (-1, or the last file present at first start without includeExistingFiles).</summary>
    Task<long> BaselineAsync(CancellationToken cancellationToken);

    Task<long> LastSequenceAsync(CancellationToken cancellationToken);

    /// <summary>The total size of the files with sequence in (after, upTo] (a backlog's bytes), without listing them.</summary>
    Task<long> BytesAsync(long after, long upTo, CancellationToken cancellationToken);

    /// <summary>Files with sequence in (after, upTo], at most <paramref name="maxFiles"/> of them.</summary>
    Task<IReadOnlyList<DiscoveredFile>> RangeAsync(long after, long upTo, int? maxFiles, CancellationToken cancellationToken);
}
