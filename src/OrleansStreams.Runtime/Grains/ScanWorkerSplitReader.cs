using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Fans a micro-batch's files out to scan workers (a few files per split, splits in parallel) and
/// yields their batches in file order, so a batch's rows are the same however it was read. A file larger
/// than <paramref name="localAboveBytes"/> is decoded here by <paramref name="local"/> instead, so its rows
/// never have to fit in one grain message (a 100 MB JSON line, say), and a split holds no more bytes than that.
/// </summary>
/// <param name="splitsAhead">How many splits are scanned at once, ahead of the query's reading (default: one more than the cores).</param>
public sealed class ScanWorkerSplitReader(
    IGrainFactory grains, IFileSplitReader? local = null, int filesPerSplit = 4, int workers = 16, long localAboveBytes = 32L << 20, int? splitsAhead = null) : IFileSplitReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, FileSplitReport report, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dataSchema = SchemaJson.Serialize(spec.DataSchema);
        var outputSchema = SchemaJson.Serialize(spec.OutputSchema);
        var splits = Splits(files).ToList();

        // Splits are scanned a few ahead of the one being consumed, not all at once: the decoded rows wait in memory
        // until the query takes them, so the window, not the batch, bounds what a batch holds.
        var calls = new Task<ScanResult>?[splits.Count];
        var started = 0;
        long bytesInFlight = 0; // of the splits started and not yet taken
        for (var i = 0; i < splits.Count; i++)
        {
            for (; started < Math.Min(splits.Count, i + splitsAhead) && (started == i || bytesInFlight < bytesAhead); started++)
            {
                if (!splits[started].Local)
                {
                    calls[started] = ScanWithRetriesAsync(ScanTaskOf(spec, splits[started].Files, dataSchema, outputSchema), cancellationToken);
                    bytesInFlight += Bytes(splits[started].Files);
                }
            }

            if (calls[i] is not { } call)
            {
                await foreach (var batch in local!.ReadAsync(spec, splits[i].Files, report, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }

                continue;
            }

            calls[i] = null;
            bytesInFlight -= Bytes(splits[i].Files);
            var result = await call.WaitAsync(cancellationToken).ConfigureAwait(false);
            report.Add(result.Report);
            foreach (var batch in result.Batches.Batches)
            {
                yield return batch;
            }
        }
    }

    private static ScanTask ScanTaskOf(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, string dataSchema, string outputSchema) => new()
    {
        Folder = spec.Folder,
        Format = spec.Format,
        ReaderOptions = spec.ReaderOptions.ToDictionary(),
        DataSchemaJson = dataSchema,
        OutputSchemaJson = outputSchema,
        TimeZone = spec.TimeZone,
        Keys = files.Select(f => f.Key).ToArray(),
        Sizes = files.Select(f => f.Size).ToArray(),
        ModifiedTicks = files.Select(f => f.ModificationTime.UtcTicks).ToArray(),
        Sequences = files.Select(f => f.Sequence).ToArray(),
    };

    /// <summary>
    /// Consecutive files in splits of at most <c>filesPerSplit</c> files and <c>localAboveBytes</c> bytes
    /// (so a worker's answer stays well within a grain message); each larger file a split of its own, read here.
    /// </summary>
    private IEnumerable<(IReadOnlyList<DiscoveredFile> Files, bool Local)> Splits(IReadOnlyList<DiscoveredFile> files)
    {
        var current = new List<DiscoveredFile>();
        long bytes = 0;
        foreach (var file in files)
        {
            if (current.Count > 0 && (current.Count == filesPerSplit || bytes + file.Size > localAboveBytes))
            {
                yield return (current, false);
                (current, bytes) = ([], 0);
            }

            if (local is not null && file.Size > localAboveBytes)
            {
                yield return ([file], true);
                continue;
            }

            current.Add(file);
            bytes += file.Size;
        }

        if (current.Count > 0)
        {
            yield return (current, false);
        }
    }

    /// <summary>A split whose worker's silo fails is read again by another worker, as Spark retries a failed task.</summary>
    private async Task<ScanResult> ScanWithRetriesAsync(ScanTask task, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await grains.GetGrain<IScanWorkerGrain>(Random.Shared.Next(workers)).ScanAsync(task).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private const int MaxAttempts = 4;

    private readonly int splitsAhead = splitsAhead ?? Environment.ProcessorCount + 1;

    /// <summary>File bytes scanned ahead at most (the decoded rows take about twice that): a sixteenth of the memory the process may use, between 4 MB and 512 MB.</summary>
    private readonly long bytesAhead = MemoryBudget.Share(1.0 / 16, 4L << 20, 512L << 20);

    private static long Bytes(IReadOnlyList<DiscoveredFile> files) => files.Sum(f => f.Size);
}
