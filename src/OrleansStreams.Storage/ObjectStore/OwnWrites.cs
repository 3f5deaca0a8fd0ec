namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// Conditional writes that recognise their own earlier attempt. A write can land while its response is lost
/// (timeout, dropped connection); the storage client's retry then meets the object it just wrote and is told the key is
/// taken (409) or the ETag moved on (412). When the stored bytes are exactly the bytes written, the write was ours.
/// </summary>
public static class OwnWrites
{
    /// <summary>
    /// Put-if-absent that also succeeds when the object there holds exactly <paramref name="content"/>: returns its
    /// properties, or null when another writer stored different bytes.
    /// </summary>
    public static async Task<ObjectProperties?> PutIfAbsentOrSameAsync(this IObjectStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.PutIfAbsentAsync(key, content, cancellationToken).ConfigureAwait(false)
            ?? await FindSameAsync(store, key, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The properties of the object at <paramref name="key"/> when it holds exactly <paramref name="content"/>; null when it
    /// is absent or holds other bytes. The ETag is read before the bytes: if the object changes in between, the ETag
    /// returned is stale and the next conditional write is refused, never wrongly accepted.
    /// </summary>
    public static async Task<ObjectProperties?> FindSameAsync(this IObjectStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var properties = await store.GetPropertiesAsync(key, cancellationToken).ConfigureAwait(false);
        if (properties is null || properties.Size != content.Length)
        {
            return null;
        }

        try
        {
            var stored = await store.ReadAllAsync(key, cancellationToken).ConfigureAwait(false);
            return content.Span.SequenceEqual(stored) ? properties : null;
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }
}
