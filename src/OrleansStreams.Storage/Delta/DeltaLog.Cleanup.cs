namespace OrleansStreams.Storage.Delta;

// Expired log cleanup (Delta's metadata cleanup, run after checkpoints).
public sealed partial class DeltaLog
{
    /// <summary>
    /// Deletes the log files that no version younger than <paramref name="retention"/> needs: the commits, checkpoints
    /// and checksums before the newest checkpoint whose commit is older than the retention. That checkpoint and
    /// everything after it stay, so every version since it can still be read; older versions can no longer be
    /// time-travelled to, as in Delta. Returns how many files were deleted.
    /// </summary>
    public async Task<int> CleanUpExpiredLogAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        var cutoff = options.Clock.GetUtcNow() - retention;
        var listing = await ListLogAsync(cancellationToken);
        if (await NewestCheckpointAtOrBeforeAsync([.. listing.Checkpoints.Keys], cutoff, cancellationToken) is not { } keepFrom)
        {
            return 0;
        }

        var deleted = 0;
        foreach (var key in listing.Versioned.Where(f => f.Version < keepFrom).Select(f => f.Key))
        {
            // Oldest first, so a cleanup cut short never leaves a gap before versions that are still listed.
            deleted += await Store.DeleteAsync(key, cancellationToken) ? 1 : 0;
        }

        return deleted;
    }

    /// <summary>The newest of <paramref name="checkpoints"/> (ascending versions) whose commit was made at or before <paramref name="cutoff"/>.</summary>
    private async Task<long?> NewestCheckpointAtOrBeforeAsync(List<long> checkpoints, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // Commit times grow with the version, so binary search; a checkpoint whose commit is gone counts as old.
        long? found = null;
        int low = 0, high = checkpoints.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var commit = await TryReadCommitAsync(checkpoints[middle], cancellationToken);
            if (commit is null || commit.Value.Timestamp <= cutoff)
            {
                found = checkpoints[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
