namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// A flat namespace of objects addressed by keys relative to the store's root
/// (forward slashes, no leading slash). The local file system and Azure Blob Storage both
/// implement it with the same semantics, so every caller above is backend-agnostic.
/// </summary>
public interface IObjectStore
{
    /// <summary>The location this store is rooted at (a local path or a storage URI), for messages.</summary>
    string Root { get; }

    /// <summary>Reads the whole object. Throws <see cref="ObjectNotFoundException"/> when absent.</summary>
    Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads <paramref name="length"/> bytes from <paramref name="offset"/> (fewer at the end of the object).</summary>
    Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for sequential reading.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Writes (creates or replaces) the object.</summary>
    Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Writes the object from a stream (creates or replaces).</summary>
    Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Creates the object only if no object has that key; returns null when one already exists.</summary>
    Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the object only if its current ETag is <paramref name="expectedETag"/>.
    /// Throws <see cref="ETagMismatchException"/> otherwise (also when the object is gone).
    /// </summary>
    Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Properties of the object, or null when it does not exist.</summary>
    Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; returns false when it did not exist.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists objects whose keys start with <paramref name="prefix"/>, page by page, in key order.
    /// With a <see cref="ListOptions.Delimiter"/> the listing is one level deep and the
    /// "folders" below come back as <see cref="ObjectListing.CommonPrefixes"/>.
    /// </summary>
    IAsyncEnumerable<ObjectListing> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>How to list: recursive (no delimiter, the default) or one level (delimiter "/"); page size.</summary>
public sealed record ListOptions(string? Delimiter = null, int PageSize = 1000)
{
    public static readonly ListOptions Recursive = new();
    public static readonly ListOptions OneLevel = new("/");
}

/// <summary>One page of a listing.</summary>
public sealed record ObjectListing(IReadOnlyList<ObjectProperties> Objects, IReadOnlyList<string> CommonPrefixes);

/// <summary>What a store knows about one object.</summary>
public sealed record ObjectProperties(string Key, long Size, DateTimeOffset LastModified, string ETag);

public class ObjectStoreException : IOException
{
    public ObjectStoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

public sealed class ObjectNotFoundException : ObjectStoreException
{
    public ObjectNotFoundException(string location, Exception? inner = null)
        : base($"object not found: {location}", inner) => Location = location;

    public string Location { get; }
}

public sealed class ETagMismatchException : ObjectStoreException
{
    public ETagMismatchException(string location, string expectedETag, Exception? inner = null)
        : base($"object {location} changed since it was read (expected ETag {expectedETag})", inner) => Location = location;

    public string Location { get; }
}
