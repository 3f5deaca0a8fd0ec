using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The runtime's OpenTelemetry signals, on <see cref="System.Diagnostics"/> so the runtime needs no exporter:
/// a span per micro-batch, and per query its input rows, batch durations, input rows per second and backlog of
/// discovered files not yet processed. A host subscribes with the <see cref="Name"/> source and meter.
/// </summary>
public static class StreamingTelemetry
{
    public const string Name = "OrleansStreams";

    public static readonly ActivitySource Traces = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> InputRows = Meter.CreateCounter<long>(
        "orleansstreams.query.input.rows", "{row}", "Rows read by the query's micro-batches");

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "orleansstreams.query.batch.duration", "s", "Duration of a micro-batch, planning to commit");

    /// <summary>The latest figures of each query running in this process, read by the observable gauges.</summary>
    private static readonly ConcurrentDictionary<MicroBatchRunner, QueryFigures> Latest = new(ReferenceEqualityComparer.Instance);

    static StreamingTelemetry()
    {
        Meter.CreateObservableGauge("orleansstreams.query.input.rows_per_second",
            () => Latest.Values.Select(f => new Measurement<double>(f.InputRowsPerSecond, f.Tags)), "{row}/s", "Input rate of the query's last micro-batch");
        Meter.CreateObservableGauge("orleansstreams.query.backlog.files",
            () => Latest.Values.Where(f => f.BacklogFiles is not null).Select(f => new Measurement<long>(f.BacklogFiles!.Value, f.Tags)),
            "{file}", "Files discovered but not yet processed by the query");
    }

    internal static Activity? StartBatch(MicroBatchRunner runner, long batchId)
    {
        var activity = Traces.StartActivity("micro-batch");
        activity?.SetTag("orleansstreams.query.id", runner.Id.ToString());
        activity?.SetTag("orleansstreams.query.name", runner.Name);
        activity?.SetTag("orleansstreams.batch.id", batchId);
        return activity;
    }

    internal static void Record(MicroBatchRunner runner, StreamingQueryProgress progress, TimeSpan duration)
    {
        var tags = Tags(runner);
        InputRows.Add(progress.NumInputRows, tags);
        BatchDuration.Record(duration.TotalSeconds, tags);
        Latest[runner] = new QueryFigures(tags, progress.InputRowsPerSecond, SourceProgress.FilesOutstanding(progress.Sources.Select(s => s.Metrics)));
    }

    /// <summary>The backlog a planning found, also when it found nothing new to run.</summary>
    internal static void RecordBacklog(MicroBatchRunner runner, long? files)
    {
        Latest.AddOrUpdate(runner, _ => new QueryFigures(Tags(runner), 0, files), (_, figures) => figures with { BacklogFiles = files });
    }

    /// <summary>A query that stopped here reports nothing more from this process.</summary>
    internal static void Forget(MicroBatchRunner runner) => Latest.TryRemove(runner, out _);

    private static KeyValuePair<string, object?>[] Tags(MicroBatchRunner runner) =>
        [new("query.id", runner.Id.ToString()), new("query.name", runner.Name ?? string.Empty)];

    private sealed record QueryFigures(KeyValuePair<string, object?>[] Tags, double InputRowsPerSecond, long? BacklogFiles);
}
