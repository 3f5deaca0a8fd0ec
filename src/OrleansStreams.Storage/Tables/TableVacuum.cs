using OrleansStreams.Storage.Delta;
using OrleansStreams.Storage.Delta.DeletionVectors;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Delta's <c>VACUUM</c>: deletes the files in the table folder that the table no longer references — removed
/// longer ago than the retention, or never committed — and that were last written before the retention began (a
/// writer may still be about to commit a young file). Hidden paths (a segment starting with <c>_</c> or <c>.</c>,
/// such as <c>_delta_log</c> or a checkpoint folder, except partition folders) are never touched.
/// </summary>
internal static class TableVacuum
{
    private const int ParallelDeletes = 16;

    public static async Task<VacuumResult> RunAsync(DeltaTable table, VacuumOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        // Deleting files is writing to the table: its writer features must all be understood (vacuumProtocolCheck asks this).
        TableFeatures.EnsureWritable(table.Log.Table, snapshot.Protocol, snapshot.Metadata);
        var tableRetention = TableProperties.DeletedFileRetentionOf(snapshot.Metadata);
        var retention = options.Retention ?? tableRetention;
        if (retention < TimeSpan.Zero)
        {
            throw new ArgumentException($"VACUUM of {table.Log.Table}: the retention must not be negative, not {retention.TotalHours} hours", nameof(options));
        }

        if (options.RetentionCheckEnabled && retention < tableRetention)
        {
            throw new ArgumentException(
                $"VACUUM of {table.Log.Table} with a retention of {retention.TotalHours} hours is refused: the table keeps removed files for " +
                $"{tableRetention.TotalHours} hours ({TableProperties.DeletedFileRetentionDuration}), and readers of older versions or writers " +
                $"still running may need files younger than that. If nothing else reads or writes the table, set " +
                $"{VacuumOptions.RetentionCheckSetting} = false to allow it; otherwise retain at least {tableRetention.TotalHours} hours.",
                nameof(options));
        }

        var cutoff = table.Log.Clock.GetUtcNow() - retention;
        var referenced = Referenced(snapshot, cutoff.ToUnixTimeMilliseconds(), new DeletionVectorStore(table.Store));
        var partitionColumns = snapshot.PartitionColumns;
        var doomed = new List<ObjectProperties>();
        await foreach (var page in table.Store.ListAsync(string.Empty, ListOptions.Recursive, cancellationToken).ConfigureAwait(false))
        {
            doomed.AddRange(page.Objects.Where(o => !IsHidden(o.Key, partitionColumns) && !referenced.Contains(o.Key) && o.LastModified < cutoff));
        }

        if (!options.DryRun)
        {
            await Parallel.ForEachAsync(
                doomed,
                new ParallelOptions { MaxDegreeOfParallelism = ParallelDeletes, CancellationToken = cancellationToken },
                async (file, token) => await table.Store.DeleteAsync(file.Key, token).ConfigureAwait(false)).ConfigureAwait(false);
        }

        return new VacuumResult(doomed.Select(f => f.Key).ToList(), doomed.Sum(f => f.Size), options.DryRun, retention);
    }

    /// <summary>
    /// The keys a reader of any version within the retention may open: the live files and the recently removed ones,
    /// each with its deletion vector file when the DV is not inline.
    /// </summary>
    private static HashSet<string> Referenced(DeltaSnapshot snapshot, long cutoffMillis, DeletionVectorStore deletionVectors)
    {
        var recentlyRemoved = snapshot.Tombstones.Values.Where(r => (r.DeletionTimestamp ?? 0) >= cutoffMillis).ToList();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        keys.UnionWith(snapshot.ActiveFiles.Select(f => DeltaPath.FromLogPath(f.Path)));
        keys.UnionWith(recentlyRemoved.Select(r => DeltaPath.FromLogPath(r.Path)));
        keys.UnionWith(snapshot.ActiveFiles.Select(f => f.DeletionVector).Concat(recentlyRemoved.Select(r => r.DeletionVector))
            .OfType<DeletionVectorDescriptor>()
            .Where(dv => dv.StorageType != DeletionVectorDescriptor.Inline)
            .Select(dv => deletionVectors.FileKey(dv, snapshot.Table)));
        return keys;
    }

    /// <summary>Whether a folder or file on the key's path is hidden from Delta (starts with <c>_</c> or <c>.</c> and is no partition folder).</summary>
    private static bool IsHidden(string key, IReadOnlyList<string> partitionColumns)
    {
        foreach (var segment in key.Split('/'))
        {
            if ((segment.StartsWith('_') || segment.StartsWith('.'))
                && !partitionColumns.Any(c => segment.StartsWith(c + "=", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
