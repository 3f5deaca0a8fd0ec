using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// An <see cref="IObjectStore"/> on one container of Azure Blob Storage (or Azurite), under a
/// folder prefix. Conditional writes use the service's own preconditions (If-None-Match: *,
/// If-Match), so they are atomic against every other writer. Transient failures are retried by
/// the SDK's retry policy configured on the client, not here.
/// </summary>
public sealed class AzureBlobObjectStore : IObjectStore
{
    private readonly BlobContainerClient _container;
    private readonly string _rootPrefix;
    private readonly Lock _containerGate = new();
    private Task? _containerCreated;

    /// <param name="container">The container; created on the first write if it does not exist.</param>
    /// <param name="rootPrefix">Folder inside the container that keys are relative to ("" for the container root).</param>
    public AzureBlobObjectStore(BlobContainerClient container, string rootPrefix)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(rootPrefix);
        _container = container;
        var trimmed = rootPrefix.Trim('/');
        _rootPrefix = trimmed.Length == 0 ? "" : trimmed + "/";
        Root = $"{container.Uri.AbsoluteUri.TrimEnd('/')}/{_rootPrefix}";
    }

    public string Root { get; }

    public async Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = BlobFor(key);
        try
        {
            var result = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ObjectNotFoundException(blob.Uri.AbsoluteUri, e);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var blob = BlobFor(key);
        if (length == 0)
        {
            _ = await GetPropertiesAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new ObjectNotFoundException(blob.Uri.AbsoluteUri);
            return [];
        }

        try
        {
            var options = new BlobDownloadOptions { Range = new HttpRange(offset, length) };
            var result = await blob.DownloadContentAsync(options, cancellationToken).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ObjectNotFoundException(blob.Uri.AbsoluteUri, e);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return []; // the range starts at or past the end of the blob
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = BlobFor(key);
        try
        {
            var result = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return result.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new ObjectNotFoundException(blob.Uri.AbsoluteUri, e);
        }
    }

    public Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        UploadAsync(key, BinaryData.FromBytes(content), conditions: null, cancellationToken);

    public async Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = BlobFor(key);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        using var counting = new CountingReadStream(content);
        var info = await blob.UploadAsync(counting, overwrite: true, cancellationToken).ConfigureAwait(false);
        return new ObjectProperties(key, counting.BytesRead, info.Value.LastModified, ETagText(info.Value.ETag));
    }

    public async Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        try
        {
            var ifAbsent = new BlobRequestConditions { IfNoneMatch = ETag.All };
            return await UploadAsync(key, BinaryData.FromBytes(content), ifAbsent, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null; // BlobAlreadyExists / ConditionNotMet: someone else created it
        }
    }

    public async Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expectedETag);
        try
        {
            var ifMatch = new BlobRequestConditions { IfMatch = new ETag(expectedETag) };
            return await UploadAsync(key, BinaryData.FromBytes(content), ifMatch, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw new ETagMismatchException(BlobFor(key).Uri.AbsoluteUri, expectedETag, e);
        }
    }

    public async Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = BlobFor(key);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new ObjectProperties(key, properties.ContentLength, properties.LastModified, ETagText(properties.ETag));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = BlobFor(key);
        try
        {
            return (await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false; // the container itself is missing
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

        var pages = options.Delimiter is null ? ListRecursiveAsync(prefix, options.PageSize, cancellationToken)
            : ListOneLevelAsync(prefix, options.PageSize, cancellationToken);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                yield break; // a missing container lists as empty, like a missing local folder
            }

            if (enumerator.Current.Objects.Count + enumerator.Current.CommonPrefixes.Count > 0)
            {
                yield return enumerator.Current;
            }
        }
    }

    private async IAsyncEnumerable<ObjectListing> ListRecursiveAsync(string prefix, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var blobs = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = _rootPrefix + prefix }, cancellationToken);
        await foreach (var page in blobs.AsPages(pageSizeHint: pageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new ObjectListing(page.Values.Select(PropertiesOf).ToList(), []);
        }
    }

    private async IAsyncEnumerable<ObjectListing> ListOneLevelAsync(string prefix, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = _container.GetBlobsByHierarchyAsync(
            new GetBlobsByHierarchyOptions { Prefix = _rootPrefix + prefix, Delimiter = "/" }, cancellationToken);
        await foreach (var page in items.AsPages(pageSizeHint: pageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var objects = page.Values.Where(i => i.IsBlob).Select(i => PropertiesOf(i.Blob)).ToList();
            var prefixes = page.Values.Where(i => i.IsPrefix).Select(i => i.Prefix[_rootPrefix.Length..]).ToList();
            yield return new ObjectListing(objects, prefixes);
        }
    }

    private ObjectProperties PropertiesOf(BlobItem item) => new(
        item.Name[_rootPrefix.Length..],
        item.Properties.ContentLength ?? 0,
        item.Properties.LastModified ?? DateTimeOffset.MinValue,
        item.Properties.ETag is { } etag ? ETagText(etag) : "");

    /// <summary>Listings return ETags unquoted, other responses quoted; callers always see the quoted form.</summary>
    private static string ETagText(ETag etag)
    {
        var text = etag.ToString();
        return text.StartsWith('"') ? text : $"\"{text}\"";
    }

    private async Task<ObjectProperties> UploadAsync(string key, BinaryData content, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        var blob = BlobFor(key);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var info = (await blob.UploadAsync(content, new BlobUploadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false)).Value;
        return new ObjectProperties(key, content.ToMemory().Length, info.LastModified, ETagText(info.ETag));
    }

    private BlobClient BlobFor(string key)
    {
        ObjectKeys.Validate(key);
        return _container.GetBlobClient(_rootPrefix + key);
    }

    /// <summary>Creates the container once, on the first write; a failed attempt is retried by the next write.</summary>
    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        lock (_containerGate)
        {
            if (_containerCreated is null || _containerCreated.IsFaulted || _containerCreated.IsCanceled)
            {
                _containerCreated = _container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            }

            return _containerCreated.WaitAsync(cancellationToken);
        }
    }
}
