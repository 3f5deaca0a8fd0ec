using System.Runtime.CompilerServices;
namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// A view of one folder of another store: keys are relative to <see cref="Prefix"/>. Lets the
/// catalog hand each table a store rooted at the table folder, and a checkpoint its own folder.
/// </summary>
public sealed class ScopedObjectStore : IObjectStore
{
    private readonly IObjectStore inner;

    /// <param name="folder">A relative folder of <paramref name="inner"/> (forward slashes, no leading slash).</param>
    public ScopedObjectStore(IObjectStore inner, string folder)
    {
        if (folder.StartsWith('/') || folder.Split('/').Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"'{folder}' is not a relative folder inside {inner.Root}", nameof(folder));
        }

        this.inner = inner;
        Prefix = folder.Length == 0 || folder.EndsWith('/') ? folder : folder + "/";
        Root = inner.Root.TrimEnd('/') + "/" + Prefix.TrimEnd('/');
    }

    public string Prefix { get; }

    public string Root { get; }

    public Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default) => inner.ReadAllAsync(Prefix + key, cancellationToken);

    public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(Prefix + key, offset, length, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(Prefix + key, cancellationToken);

    public async Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        Strip(await inner.WriteAsync(Prefix + key, content, cancellationToken));

    public async Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        Strip(await inner.WriteAsync(Prefix + key, content, cancellationToken));

    public async Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await inner.PutIfAbsentAsync(Prefix + key, content, cancellationToken) is { } written ? Strip(written) : null;

    public async Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default) =>
        Strip(await inner.OverwriteIfMatchAsync(Prefix + key, content, expectedETag, cancellationToken));

    public async Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default) =>
        await inner.GetPropertiesAsync(Prefix + key, cancellationToken) is { } properties ? Strip(properties) : null;

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(Prefix + key, cancellationToken);

    public async IAsyncEnumerable<ObjectListing> ListAsync(string prefix, ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in inner.ListAsync(Prefix + prefix, options, cancellationToken))
        {
            yield return new ObjectListing(
                [.. page.Objects.Select(Strip)],
                [.. page.CommonPrefixes.Select(p => p[Prefix.Length..])]);
        }
    }

    private ObjectProperties Strip(ObjectProperties properties) => properties with { Key = properties.Key[Prefix.Length..] };
}
