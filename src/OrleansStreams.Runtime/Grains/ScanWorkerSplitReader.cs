using System.Runtime.CompilerServices;
using Apache.Arrow;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Fans a micro-batch's files out to scan workers (a few files per split, splits in parallel) and
/// yields their batches in file order, so a batch's rows are the same however it was read.
/// </summary>
public sealed class ScanWorkerSplitReader(IGrainFactory grains, int filesPerSplit = 4, int workers = 16) : IFileSplitReader
{
    public async IAsyncEnumerable<RecordBatch> ReadAsync(FileSplitSpec spec, IReadOnlyList<DiscoveredFile> files, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dataSchema = SchemaJson.Serialize(spec.DataSchema);
        var outputSchema = SchemaJson.Serialize(spec.OutputSchema);
        var calls = files.Chunk(filesPerSplit).Select(split => ScanWithRetriesAsync(new ScanTask
        {
            Folder = spec.Folder,
            Format = spec.Format,
            ReaderOptions = spec.ReaderOptions.ToDictionary(),
            DataSchemaJson = dataSchema,
            OutputSchemaJson = outputSchema,
            TimeZone = spec.TimeZone,
            Keys = split.Select(f => f.Key).ToArray(),
            Sizes = split.Select(f => f.Size).ToArray(),
            ModifiedTicks = split.Select(f => f.ModificationTime.UtcTicks).ToArray(),
            Sequences = split.Select(f => f.Sequence).ToArray(),
        }, cancellationToken)).ToList();

        foreach (var call in calls)
        {
            foreach (var batch in ArrowIpc.Read(await call.WaitAsync(cancellationToken).ConfigureAwait(false)))
            {
                yield return batch;
            }
        }
    }

    /// <summary>A split whose worker's silo fails is read again by another worker, as Spark retries a failed task.</summary>
    private async Task<byte[]> ScanWithRetriesAsync(ScanTask task, CancellationToken cancellationToken)
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
}
