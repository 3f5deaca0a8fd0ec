using System.Text.Json;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Delta's <c>OPTIMIZE</c> (bin-packing): in each partition, the files smaller than the minimum size are packed in
/// modification order into bins of up to the maximum size, and each bin of two or more files is rewritten as one file.
/// The commit removes and adds with <c>dataChange = false</c>: the rows are the same, so streaming readers skip it,
/// and it conflicts only with a concurrent commit that removed one of the files it rewrote (blind appends go on).
/// </summary>
internal static class TableOptimizer
{
    public static async Task<OptimizeMetrics> RunAsync(DeltaTable table, DeltaSnapshot snapshot, OptimizeOptions options, CancellationToken cancellationToken)
    {
        var maxSize = options.MaxFileSize ?? DataFileLayout.TargetFileSizeOf(snapshot.Metadata.Configuration) ?? OptimizeOptions.DefaultMaxFileSize;
        var minSize = options.MinFileSize ?? maxSize;
        var partitionFilter = options.Where is null ? null : FileSkipping.ForPartitionPredicate(snapshot, options.Where);
        var considered = snapshot.ActiveFiles
            .Where(f => partitionFilter is null || partitionFilter.MayMatch(f))
            .Where(f => options.Partitions is null || options.Partitions.Contains(PartitionOf(f)))
            .ToList();

        var bins = new List<List<AddFile>>();
        var partitionsOptimized = 0;
        foreach (var partition in considered.Where(f => f.Size < minSize || HasManyDeletedRows(f)).GroupBy(f => PartitionOf(f), StringComparer.Ordinal))
        {
            var small = partition.OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
            if (small.Count < options.MinFilesPerPartition && !small.Any(HasManyDeletedRows))
            {
                continue;
            }

            var packed = Pack(small, maxSize);
            partitionsOptimized += packed.Count > 0 ? 1 : 0;
            bins.AddRange(packed);
        }

        var removed = bins.SelectMany(b => b).ToList();
        if (removed.Count == 0)
        {
            return new OptimizeMetrics(null, FileSizeMetrics.Of([]), FileSizeMetrics.Of([]), 0, 0, considered.Count, considered.Count);
        }

        var added = new List<AddFile>();
        var layout = DataFileLayout.For(snapshot.Metadata.Configuration, new DeltaWriteOptions()) with { TargetFileSize = maxSize };
        foreach (var bin in bins)
        {
            // One writer per bin, so a bin becomes one file (more only when the rows outgrow the maximum size after all).
            await using var writer = new TableFileWriter(table.Store, snapshot, snapshot.Schema, layout);
            await foreach (var batch in table.Reader.ReadFilesAsync(bin, snapshot, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                await writer.AddAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            added.AddRange((await writer.FinishAsync(cancellationToken).ConfigureAwait(false)).Select(f => f with { DataChange = false }));
        }

        var now = table.Log.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var tx = new DeltaTransaction(snapshot, "OPTIMIZE", new Dictionary<string, string>
        {
            ["predicate"] = JsonSerializer.Serialize(options.Where is null ? [] : new[] { Analyzer.OutputName(options.Where) }),
            ["zOrderBy"] = "[]",
            ["auto"] = options.Auto ? "true" : "false",
        });
        foreach (var file in removed)
        {
            tx.RemoveFile(file.ToRemove(now, dataChange: false));
        }

        var version = await table.Log.CommitAsync(tx.AddFiles(added), cancellationToken).ConfigureAwait(false);
        return new OptimizeMetrics(
            version,
            FileSizeMetrics.Of(added.Select(f => f.Size).ToList()),
            FileSizeMetrics.Of(removed.Select(f => f.Size).ToList()),
            partitionsOptimized,
            bins.Count,
            considered.Count,
            considered.Count - removed.Count);
    }

    /// <summary>
    /// Which partition a file belongs to ("" for an unpartitioned table), from its partition values as the log keys them
    /// (by physical name under column mapping), so files of one partition always compare equal.
    /// </summary>
    public static string PartitionOf(AddFile file) =>
        string.Join('/', file.PartitionValues.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(p.Value is null ? "\0" : PartitionPath.Escape(p.Value))}"));

    /// <summary>
    /// Whether a deletion vector hides more than a twentieth of the file's rows (Delta's <c>maxDeletedRowsRatio</c>): such a
    /// file is rewritten even alone, so readers stop reading rows only to drop them.
    /// </summary>
    private static bool HasManyDeletedRows(AddFile file) =>
        file.DeletionVector is { } dv && (FileStats.NumRecords(file) is not { } rows || dv.Cardinality > rows * MaxDeletedRowsRatio);

    private const double MaxDeletedRowsRatio = 0.05;

    /// <summary>Greedy bins of consecutive files up to <paramref name="maxSize"/> bytes; bins of a single file are dropped (nothing to merge) unless a deletion vector makes rewriting it worth while.</summary>
    private static List<List<AddFile>> Pack(List<AddFile> files, long maxSize)
    {
        var bins = new List<List<AddFile>>();
        var current = new List<AddFile>();
        long size = 0;
        foreach (var file in files)
        {
            if (current.Count > 0 && size + file.Size > maxSize)
            {
                bins.Add(current);
                (current, size) = ([], 0);
            }

            current.Add(file);
            size += file.Size;
        }

        bins.Add(current);
        return bins.Where(b => b.Count > 1 || HasManyDeletedRows(b[0])).ToList();
    }
}
