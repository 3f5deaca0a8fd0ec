using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// Discovery in file-notification mode, over the same file log as directory listing: events add files (a path
/// is logged once, however often and in whatever order its events come), the folder is listed once at first
/// start (existing files, and the includeExistingFiles baseline) and again every backfillInterval to catch
/// files whose events were lost. The time of the last listing is kept in the checkpoint, so a source that
/// moved to another silo does not list again early.
/// </summary>
public sealed partial class NotifiedDiscovery(DiscoverySpec spec, FileDiscovery listing, IObjectStore checkpoint, ILogger logger, TimeProvider? time = null) : IFileDiscovery
{
    private const string ListingKey = "listing";

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private DateTimeOffset? lastListing;
    private bool markerRead;

    /// <summary>Lists the folder when the first listing or a backfill is due; otherwise the events keep the log current.</summary>
    public async Task<int> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (!markerRead)
        {
            lastListing = await ReadListingTimeAsync(cancellationToken).ConfigureAwait(false);
            markerRead = true;
        }

        var now = clock.GetUtcNow();
        var due = lastListing is not { } last || (spec.Notifications!.BackfillInterval is { } interval && now - last >= interval);
        if (!due)
        {
            return 0;
        }

        var found = await listing.DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (lastListing is null)
        {
            await listing.BaselineAsync(cancellationToken).ConfigureAwait(false); // what "existing" means is fixed by the first listing
        }
        else if (found > 0)
        {
            LogBackfilled(spec.Folder, found);
        }

        await checkpoint.WriteAsync(ListingKey, Encoding.UTF8.GetBytes(now.ToString("O", CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        lastListing = now;
        return found;
    }

    /// <summary>Logs the files of events not seen before (one segment); returns once it is written.</summary>
    public Task<int> AddAsync(IReadOnlyList<NotifiedFile> files, CancellationToken cancellationToken) =>
        listing.Log.AddAsync(files.Select(f => (f.Key, f.Size, f.Modified)), cancellationToken);

    public Task<long> BaselineAsync(CancellationToken cancellationToken) => listing.BaselineAsync(cancellationToken);

    public Task<long> LastSequenceAsync(CancellationToken cancellationToken) => listing.LastSequenceAsync(cancellationToken);

    public Task<long> BytesAsync(long after, long upTo, CancellationToken cancellationToken) => listing.BytesAsync(after, upTo, cancellationToken);

    public Task<IReadOnlyList<DiscoveredFile>> RangeAsync(long after, long upTo, int? maxFiles, CancellationToken cancellationToken) =>
        listing.RangeAsync(after, upTo, maxFiles, cancellationToken);

    private async Task<DateTimeOffset?> ReadListingTimeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var text = Encoding.UTF8.GetString(await checkpoint.ReadAllAsync(ListingKey, cancellationToken).ConfigureAwait(false));
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill listing of {Folder} found {Count} files that no event announced")]
    private partial void LogBackfilled(string folder, int count);
}
