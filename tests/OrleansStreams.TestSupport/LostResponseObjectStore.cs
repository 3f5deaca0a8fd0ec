using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.TestSupport;

/// <summary>
/// An object store whose conditional writes land but whose responses are "lost", for the keys
/// <paramref name="affects"/> picks: what a storage client's retry then sees. A put-if-absent writes and
/// reports the key taken (409); an ETag-conditional overwrite writes and reports an ETag mismatch (412).
/// Every other call goes straight to <paramref name="inner"/>.
/// </summary>
public sealed class LostResponseObjectStore(IObjectStore inner, Func<string, bool> affects) : IObjectStore
{
    private int lostResponses;

    /// <summary>How many writes landed with their response lost.</summary>
    public int LostResponses => Volatile.Read(ref lostResponses);

    public string Root => inner.Root;

    public Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default) => inner.ReadAllAsync(key, cancellationToken);

    public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(key, offset, length, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(key, content, cancellationToken);

    public Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(key, content, cancellationToken);

    public async Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var written = await inner.PutIfAbsentAsync(key, content, cancellationToken).ConfigureAwait(false);
        if (written is null || !affects(key))
        {
            return written;
        }

        Interlocked.Increment(ref lostResponses);
        return null;
    }

    public async Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default)
    {
        var written = await inner.OverwriteIfMatchAsync(key, content, expectedETag, cancellationToken).ConfigureAwait(false);
        if (!affects(key))
        {
            return written;
        }

        Interlocked.Increment(ref lostResponses);
        throw new ETagMismatchException($"{Root}/{key}", expectedETag);
    }

    public Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default) => inner.GetPropertiesAsync(key, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public IAsyncEnumerable<ObjectListing> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, options, cancellationToken);
}
