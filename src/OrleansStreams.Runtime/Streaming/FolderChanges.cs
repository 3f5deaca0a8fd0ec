using Microsoft.Extensions.Logging;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Counts changes in a local source folder (files created, renamed or written), so an idle query can look for new
/// files as soon as one lands instead of at its next poll. The count may move for changes that bring no new file
/// (a query then finds nothing, as a poll would); a missed event costs only latency, as the query still polls.
/// </summary>
public sealed partial class FolderChanges : IDisposable
{
    private readonly FileSystemWatcher watcher;
    private long version;

    private FolderChanges(FileSystemWatcher watcher)
    {
        this.watcher = watcher;
        watcher.Created += (_, _) => Changed();
        watcher.Renamed += (_, _) => Changed();
        watcher.Changed += (_, _) => Changed();
        watcher.Error += (_, _) => Changed(); // an overflowed event buffer: something changed
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>Moves on every change seen.</summary>
    public long Version => Interlocked.Read(ref version);

    /// <summary>Watches <paramref name="folder"/>; null when it cannot be watched (missing, or out of watches), and the query polls.</summary>
    public static FolderChanges? TryWatch(string folder, bool recursive, ILogger logger)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            return new FolderChanges(watcher);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            watcher?.Dispose();
            LogNotWatched(logger, folder, e.Message);
            return null;
        }
    }

    public void Dispose() => watcher.Dispose();

    private void Changed() => Interlocked.Increment(ref version);

    [LoggerMessage(Level = LogLevel.Information, Message = "The source folder {Folder} is polled, not watched: {Reason}")]
    private static partial void LogNotWatched(ILogger logger, string folder, string reason);
}
