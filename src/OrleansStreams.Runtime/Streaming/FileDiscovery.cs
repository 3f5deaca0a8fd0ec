using System.Globalization;
using System.Text;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Directory-listing discovery over a <see cref="FileLog"/> kept in the source's checkpoint folder.</summary>
public sealed class FileDiscovery : IFileDiscovery
{
    private const string BaselineKey = "baseline";

    private readonly DiscoverySpec spec;
    private readonly IObjectStore files;
    private readonly IObjectStore checkpoint;
    private readonly DiscoveryFilter filter;
    private readonly FileLog log;

    public FileDiscovery(DiscoverySpec spec, ObjectStoreFactory stores)
        : this(spec, stores.Create(spec.Folder), stores.Create(spec.CheckpointFolder))
    {
    }

    /// <param name="files">The source folder.</param>
    /// <param name="checkpoint">The source's checkpoint folder.</param>
    public FileDiscovery(DiscoverySpec spec, IObjectStore files, IObjectStore checkpoint)
    {
        this.spec = spec;
        this.files = files;
        this.checkpoint = checkpoint;
        filter = new DiscoveryFilter(spec);
        log = new FileLog(checkpoint);
    }

    public FileLog Log => log;

    public async Task<int> DiscoverAsync(CancellationToken cancellationToken)
    {
        await log.LoadAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<(string, long, DateTimeOffset)>();
        await foreach (var page in files.ListAsync(string.Empty, spec.Recursive ? ListOptions.Recursive : ListOptions.OneLevel, cancellationToken).ConfigureAwait(false))
        {
            found.AddRange(page.Objects.Where(filter.Accepts).Select(item => (item.Key, item.Size, item.LastModified)));
        }

        // Oldest first, so a rate-limited batch takes files in arrival order.
        return await log.AddAsync(found.OrderBy(f => f.Item3).ThenBy(f => f.Item1, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> BaselineAsync(CancellationToken cancellationToken)
    {
        if (spec.IncludeExistingFiles)
        {
            return -1;
        }

        try
        {
            return ParseLong(await checkpoint.ReadAllAsync(BaselineKey, cancellationToken).ConfigureAwait(false));
        }
        catch (ObjectNotFoundException)
        {
            await log.LoadAsync(cancellationToken).ConfigureAwait(false);
            await checkpoint.PutIfAbsentAsync(BaselineKey, Encoding.UTF8.GetBytes(log.LastSequence.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return ParseLong(await checkpoint.ReadAllAsync(BaselineKey, cancellationToken).ConfigureAwait(false));
        }
    }

    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await log.LoadAsync(cancellationToken).ConfigureAwait(false);
        return log.LastSequence;
    }

    public async Task<long> BytesAsync(long after, long upTo, CancellationToken cancellationToken)
    {
        await log.LoadAsync(cancellationToken).ConfigureAwait(false);
        return log.BytesBetween(after, upTo);
    }

    public async Task<IReadOnlyList<DiscoveredFile>> RangeAsync(long after, long upTo, int? maxFiles, CancellationToken cancellationToken)
    {
        await log.LoadAsync(cancellationToken).ConfigureAwait(false);
        var range = log.Range(after, upTo);
        return maxFiles is { } max && range.Count > max ? range.Take(max).ToList() : range;
    }

    private static long ParseLong(byte[] text) => long.Parse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture);
}
