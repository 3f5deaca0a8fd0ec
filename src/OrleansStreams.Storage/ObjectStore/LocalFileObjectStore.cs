using System.Globalization;
using System.Runtime.CompilerServices;

namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// An <see cref="IObjectStore"/> on a local (or mounted) folder: key "a/b.json" is the file
/// a/b.json under the root. Every write lands in a temp file beside the target and is renamed
/// into place, so readers never see partial content. Every change to a key (create, replace,
/// delete) happens under that key's lock file, which makes put-if-absent and ETag checks safe
/// across threads and processes that use this store.
/// </summary>
/// <remarks>
/// The ETag is the file's last-write time (100 ns ticks) plus its length. Every replacement
/// under the lock stamps a time strictly later than the one it replaces, so an ETag never
/// comes back for a later version of the same key.
/// </remarks>
public sealed class LocalFileObjectStore : IObjectStore
{
    private const int CopyBufferSize = 81920;
    private readonly string _rootWithSeparator;

    public LocalFileObjectStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        _rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
    }

    public string Root { get; }

    public async Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNotFound(e, path))
        {
            throw new ObjectNotFoundException(path, e);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var handle = OpenHandle(key);
        var available = Math.Max(0, RandomAccess.GetLength(handle) - offset);
        var buffer = new byte[(int)Math.Min(length, available)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), offset + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == buffer.Length ? buffer : buffer[..read];
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        try
        {
            // Sharing write/delete lets writers rename a new version over the name meanwhile;
            // this stream keeps reading the version it opened.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (IsNotFound(e, path))
        {
            throw new ObjectNotFoundException(path, e);
        }
    }

    public async Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        var temp = await WriteTempAsync(path, s => s.WriteAsync(content, cancellationToken), cancellationToken).ConfigureAwait(false);
        return await MoveIntoPlaceAsync(key, path, temp, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathFor(key);
        var temp = await WriteTempAsync(path, s => new ValueTask(content.CopyToAsync(s, CopyBufferSize, cancellationToken)), cancellationToken)
            .ConfigureAwait(false);
        return await MoveIntoPlaceAsync(key, path, temp, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        var temp = await WriteTempAsync(path, s => s.WriteAsync(content, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            // .NET's no-overwrite move checks then renames on Unix, which is not atomic on its own;
            // the key's lock makes check-and-create one step for every writer of this store.
            using (await LocalFileLock.AcquireAsync(path + ObjectKeys.LockSuffix, cancellationToken).ConfigureAwait(false))
            {
                if (File.Exists(path))
                {
                    return null;
                }

                var properties = PropertiesOf(key, new FileInfo(temp));
                File.Move(temp, path, overwrite: false);
                return properties;
            }
        }
        finally
        {
            File.Delete(temp); // no-op once moved
        }
    }

    public async Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expectedETag);
        var path = PathFor(key);
        var temp = await WriteTempAsync(path, s => s.WriteAsync(content, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            using (await LocalFileLock.AcquireAsync(path + ObjectKeys.LockSuffix, cancellationToken).ConfigureAwait(false))
            {
                var current = new FileInfo(path);
                if (!current.Exists || ETagOf(current) != expectedETag)
                {
                    throw new ETagMismatchException(path, expectedETag);
                }

                return ReplaceLocked(key, temp, current);
            }
        }
        finally
        {
            File.Delete(temp); // no-op once moved
        }
    }

    public Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathFor(key));
        return Task.FromResult(file.Exists ? PropertiesOf(key, file) : null);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        if (!File.Exists(path))
        {
            return false; // nothing to lock, and no lock file to create
        }

        using (await LocalFileLock.AcquireAsync(path + ObjectKeys.LockSuffix, cancellationToken).ConfigureAwait(false))
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }

    public async IAsyncEnumerable<ObjectListing> ListAsync(string prefix, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        options ??= ListOptions.Recursive;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.PageSize, "options.PageSize");
        if (options.Delimiter is not (null or "/"))
        {
            throw new ArgumentException($"unsupported list delimiter '{options.Delimiter}': only '/' (or none) is supported", nameof(options));
        }

        var objects = new List<ObjectProperties>();
        var prefixes = new List<string>();
        foreach (var (key, file) in LocalListing.Enumerate(Root, prefix, oneLevel: options.Delimiter is not null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file is null)
            {
                prefixes.Add(key);
            }
            else if (TryPropertiesOf(key, file) is { } properties)
            {
                objects.Add(properties);
            }

            if (objects.Count + prefixes.Count == options.PageSize)
            {
                yield return new ObjectListing(objects, prefixes);
                objects = [];
                prefixes = [];
            }
        }

        if (objects.Count + prefixes.Count > 0)
        {
            yield return new ObjectListing(objects, prefixes);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Missing files and folders are absent objects; so is a key that names a folder ("a" when "a/b" exists).</summary>
    private static bool IsNotFound(Exception e, string path) =>
        e is FileNotFoundException or DirectoryNotFoundException || (e is UnauthorizedAccessException && Directory.Exists(path));

    /// <summary>A file renamed or deleted between the folder scan and now is not listed (as a blob deleted meanwhile is not).</summary>
    private static ObjectProperties? TryPropertiesOf(string key, FileInfo file)
    {
        try
        {
            return PropertiesOf(key, file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    internal static string ETagOf(FileInfo file) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{file.LastWriteTimeUtc.Ticks:x}-{file.Length:x}\"");

    private static ObjectProperties PropertiesOf(string key, FileInfo file) =>
        new(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), ETagOf(file));

    private string PathFor(string key)
    {
        ObjectKeys.Validate(key);
        var path = Path.GetFullPath(Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!path.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"object key '{key}' resolves outside the store root {Root}", nameof(key));
        }

        return path;
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle OpenHandle(string key)
    {
        var path = PathFor(key);
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (IsNotFound(e, path))
        {
            throw new ObjectNotFoundException(path, e);
        }
    }

    /// <summary>Writes the content to a fresh temp file beside <paramref name="target"/>, flushed to disk.</summary>
    private static async Task<string> WriteTempAsync(string target, Func<FileStream, ValueTask> write, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{ObjectKeys.TempSuffix}");
        try
        {
            await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                CopyBufferSize, FileOptions.Asynchronous);
            await write(stream).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            File.SetLastWriteTimeUtc(stream.SafeFileHandle, DateTime.UtcNow);
            return temp;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static async Task<ObjectProperties> MoveIntoPlaceAsync(string key, string path, string temp, CancellationToken cancellationToken)
    {
        try
        {
            using (await LocalFileLock.AcquireAsync(path + ObjectKeys.LockSuffix, cancellationToken).ConfigureAwait(false))
            {
                return ReplaceLocked(key, temp, new FileInfo(path));
            }
        }
        finally
        {
            File.Delete(temp); // no-op once moved
        }
    }

    /// <summary>Renames the temp file over the target; the caller holds the key's lock.</summary>
    private static ObjectProperties ReplaceLocked(string key, string temp, FileInfo current)
    {
        if (current.Exists)
        {
            StampLaterThan(temp, current.LastWriteTimeUtc);
        }

        var properties = PropertiesOf(key, new FileInfo(temp));
        File.Move(temp, current.FullName, overwrite: true);
        return properties;
    }

    /// <summary>
    /// Sets the file's last-write time strictly after <paramref name="previous"/> as the file
    /// system stores it (some keep coarser times than .NET ticks), so the ETag always changes.
    /// </summary>
    private static void StampLaterThan(string path, DateTime previous)
    {
        var step = TimeSpan.FromTicks(1);
        var stamp = DateTime.UtcNow > previous ? DateTime.UtcNow : previous + step;
        for (var attempt = 0; attempt < 32; attempt++)
        {
            File.SetLastWriteTimeUtc(path, stamp);
            if (File.GetLastWriteTimeUtc(path) > previous)
            {
                return;
            }

            step *= 4;
            stamp = previous + step;
        }

        throw new IOException($"could not give {path} a last-write time later than {previous:O}");
    }
}
