using Microsoft.Extensions.Logging;
using Orleans.Placement;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Types;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>A stateless reader: decodes the files of a split and returns their batches, with what the decoding found.</summary>
public interface IScanWorkerGrain : IGrainWithIntegerKey
{
    Task<ScanResult> ScanAsync(ScanTask task);
}

/// <summary>
/// Scan workers hold no state; their keys spread them over the silos (random placement), so a
/// batch's files are read and decoded in parallel across the cluster, as many at once on a silo as it has
/// cores (<see cref="ScanSlots"/>). Bad input is logged on the worker's silo.
/// </summary>
[RandomPlacement]
public sealed class ScanWorkerGrain(OrleansStreamsEnvironment environment, ScanSlots slots, ILogger<ScanWorkerGrain> logger) : Grain, IScanWorkerGrain
{
    public Task<ScanResult> ScanAsync(ScanTask task) => slots.RunAsync(() => DecodeAsync(task));

    private async Task<ScanResult> DecodeAsync(ScanTask task)
    {
        QueryLocations.DemandAllowed(environment.AllowedRoots, "source", task.Folder);
        QueryLocations.DemandAllowed(environment.AllowedRoots, "badRecordsPath", CloudFilesOptions.Find(task.ReaderOptions, "badRecordsPath"));
        var output = SchemaJson.Parse(task.OutputSchemaJson);
        var spec = new FileSplitSpec(task.Folder, task.Format, task.ReaderOptions, SchemaJson.Parse(task.DataSchemaJson), output, task.TimeZone);
        var files = task.Keys.Select((k, i) => new DiscoveredFile(task.Sequences[i], k, task.Sizes[i], new DateTimeOffset(task.ModifiedTicks[i], TimeSpan.Zero))).ToList();
        var batches = new List<Apache.Arrow.RecordBatch>();
        var report = new FileSplitReport();
        await foreach (var batch in FileSplit.DecodeAsync(spec, environment.Stores.Create(task.Folder), files, report, logger, environment.Stores.Create))
        {
            batches.Add(batch);
        }

        return new ScanResult(new ArrowBatches(ArrowTypes.ToArrowSchema(output), batches), report);
    }
}
