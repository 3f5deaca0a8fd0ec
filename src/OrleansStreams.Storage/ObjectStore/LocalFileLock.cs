namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// A cross-thread and cross-process mutex on one key of the local store: an exclusively opened
/// lock file beside the object (FileShare.None is an OS-level lock on every platform .NET runs on).
/// The file is deleted on release so locks leave no litter; a waiter that opened the file just
/// before it was deleted would hold a lock on a dead file, so acquiring also checks that the path
/// still names the file this handle holds.
/// </summary>
internal sealed class LocalFileLock : IDisposable
{
    private static readonly DateTime MarkEpoch = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _path;
    private readonly FileStream _stream;

    private LocalFileLock(string path, FileStream stream)
    {
        _path = path;
        _stream = stream;
    }

    public static async Task<LocalFileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var delayMs = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path) is { } acquired)
            {
                return acquired;
            }

            await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 16);
        }
    }

    public void Dispose()
    {
        // Delete while still holding the lock, so nobody can lock the name in between.
        File.Delete(_path);
        _stream.Dispose();
    }

    private static LocalFileLock? TryAcquire(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            return null; // another holder has it
        }

        try
        {
            // A random mark on our handle; only if the path shows the same mark is it our file.
            var mark = MarkEpoch.AddSeconds(Random.Shared.NextInt64(0, 500_000_000));
            File.SetLastWriteTimeUtc(stream.SafeFileHandle, mark);
            var ours = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
            if (File.Exists(path) && File.GetLastWriteTimeUtc(path) == ours)
            {
                return new LocalFileLock(path, stream);
            }
        }
        catch (IOException)
        {
            // the path vanished or changed under us: not acquired
        }

        stream.Dispose();
        return null;
    }
}
