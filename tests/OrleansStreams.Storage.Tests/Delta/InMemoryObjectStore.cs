using System.Runtime.CompilerServices;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tests.Delta;

/// <summary>
/// A thread-safe in-memory object store with honest put-if-absent and ETag semantics, so the Delta
/// log can be tested without a real backend. <see cref="LoadFolder"/> copies a local folder in.
/// </summary>
internal sealed class InMemoryObjectStore : IObjectStore
{
    private readonly SortedDictionary<string, Entry> objects = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long nextETag;

    public InMemoryObjectStore(string root = "memory://test")
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>How many put-if-absent calls found the key taken (lost races).</summary>
    public int PutIfAbsentConflicts { get; private set; }

    /// <summary>Every key read, in order (to check what a reader touched).</summary>
    public List<string> Reads { get; } = [];

    public static InMemoryObjectStore LoadFolder(string folder)
    {
        var store = new InMemoryObjectStore(folder);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(folder, file).Replace('\\', '/');
            store.Put(key, File.ReadAllBytes(file), File.GetLastWriteTimeUtc(file));
        }

        return store;
    }

    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (gate)
            {
                return [.. objects.Keys];
            }
        }
    }

    public Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            Reads.Add(key);
            return objects.TryGetValue(key, out var entry)
                ? Task.FromResult(entry.Content.ToArray())
                : Task.FromException<byte[]>(new ObjectNotFoundException($"{Root}/{key}"));
        }
    }

    public async Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default)
    {
        var all = await ReadAllAsync(key, cancellationToken);
        var start = (int)Math.Min(offset, all.Length);
        return all.AsSpan(start, Math.Min(length, all.Length - start)).ToArray();
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        new MemoryStream(await ReadAllAsync(key, cancellationToken), writable: false);

    public Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Task.FromResult(Put(key, content.ToArray(), DateTime.UtcNow));

    public async Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        return Put(key, buffer.ToArray(), DateTime.UtcNow);
    }

    public Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (objects.ContainsKey(key))
            {
                PutIfAbsentConflicts++;
                return Task.FromResult<ObjectProperties?>(null);
            }

            return Task.FromResult<ObjectProperties?>(Put(key, content.ToArray(), DateTime.UtcNow));
        }
    }

    public Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!objects.TryGetValue(key, out var entry) || entry.Properties.ETag != expectedETag)
            {
                throw new ETagMismatchException($"{Root}/{key}", expectedETag);
            }

            return Task.FromResult(Put(key, content.ToArray(), DateTime.UtcNow));
        }
    }

    public Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(objects.TryGetValue(key, out var entry) ? entry.Properties : null);
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(objects.Remove(key));
        }
    }

    public async IAsyncEnumerable<ObjectListing> ListAsync(string prefix, ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= ListOptions.Recursive;
        List<ObjectProperties> found = [];
        SortedSet<string> folders = new(StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var (key, entry) in objects)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var delimiterAt = options.Delimiter is null ? -1 : key.IndexOf(options.Delimiter, prefix.Length, StringComparison.Ordinal);
                if (delimiterAt >= 0)
                {
                    folders.Add(key[..(delimiterAt + options.Delimiter!.Length)]);
                }
                else
                {
                    found.Add(entry.Properties);
                }
            }
        }

        await Task.Yield();
        for (var i = 0; i < Math.Max(found.Count, 1); i += options.PageSize)
        {
            yield return new ObjectListing(found.Skip(i).Take(options.PageSize).ToList(), i == 0 ? [.. folders] : []);
        }
    }

    private ObjectProperties Put(string key, byte[] content, DateTime lastModified)
    {
        lock (gate)
        {
            var properties = new ObjectProperties(key, content.Length, new DateTimeOffset(lastModified, TimeSpan.Zero), $"\"{++nextETag}\"");
            objects[key] = new Entry(content, properties);
            return properties;
        }
    }

    private sealed record Entry(byte[] Content, ObjectProperties Properties);
}
