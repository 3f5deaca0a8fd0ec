using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// The micro-batch loop of one query over its checkpoint: plan the next offset range, write it to
/// the offset log (the write-ahead log), run the batch, hand it to the sink, save the state, then
/// write the commit log. On start, a batch whose offsets are logged but not committed is run again
/// with the same offsets: sources replay the same rows, state starts from the batch before, and the
/// sink's idempotence (Delta's txn) makes the replay write nothing twice.
/// </summary>
public sealed class MicroBatchRunner
{
    private static readonly ConcurrentDictionary<string, MicroBatchRunner> Active = new(StringComparer.Ordinal);

    private readonly IObjectStore checkpoint;
    private readonly StreamSourceSet sources;
    private readonly IStreamSink sink;
    private readonly IncrementalExecution execution;
    private readonly OutputMode mode;
    private readonly CheckpointLog offsets;
    private readonly CheckpointLog commits;
    private QueryState? state;
    private StateScheme scheme = StateScheme.Current;
    private long nextBatchId;
    private string? committedEnd;
    private long? maxEventTime;
    private readonly bool claimInProcess;
    private bool stateMayBeDirty;
    private DateTimeOffset? lastBatchStart;

    /// <param name="claimInProcess">
    /// Refuse a second runner on the same checkpoint in this process. Grains pass false: the cluster
    /// already keeps one activation per checkpoint, and a silo that died without releasing must not block its successor.
    /// </param>
    public MicroBatchRunner(IObjectStore checkpoint, StreamSourceSet sources, IStreamSink sink, IncrementalExecution execution, OutputMode mode, string? name, bool claimInProcess = true)
    {
        this.claimInProcess = claimInProcess;
        if (!sink.Supports(mode))
        {
            throw new InvalidOperationException($"{sink.Description} does not support {mode} output mode");
        }

        this.checkpoint = checkpoint;
        this.sources = sources;
        this.sink = sink;
        this.execution = execution;
        this.mode = mode;
        Name = name;
        offsets = new CheckpointLog(checkpoint, "offsets");
        commits = new CheckpointLog(checkpoint, "commits");
    }

    public Guid Id { get; private set; }

    public Guid RunId { get; } = Guid.NewGuid();

    public string? Name { get; }

    public event Action<StreamingQueryProgress>? Progress;

    /// <summary>Claims the checkpoint, reads the query id, and replays an uncommitted batch if there is one.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (claimInProcess && !Active.TryAdd(checkpoint.Root, this))
        {
            throw new InvalidOperationException(
                $"Another query is already running with the checkpoint location {checkpoint.Root}; a checkpoint can be used by one active query at a time (stop the other query first).");
        }

        try
        {
            Id = await ReadOrCreateIdAsync(cancellationToken).ConfigureAwait(false);
            var lastCommitted = await commits.LatestAsync(cancellationToken).ConfigureAwait(false) ?? -1;
            var lastPlanned = await offsets.LatestAsync(cancellationToken).ConfigureAwait(false) ?? -1;
            var committedEntry = lastCommitted >= 0 ? await commits.GetAsync(lastCommitted, cancellationToken).ConfigureAwait(false) : null;
            maxEventTime = committedEntry?["maxEventTime"]?.GetValue<long?>();
            committedEnd = lastCommitted >= 0 ? (await offsets.GetAsync(lastCommitted, cancellationToken).ConfigureAwait(false))!["end"]!.GetValue<string>() : null;
            scheme = await StateScheme.ResolveAsync(checkpoint, lastCommitted, execution.Spec, cancellationToken).ConfigureAwait(false);
            state = await LoadStateAsync(lastCommitted, cancellationToken).ConfigureAwait(false);

            nextBatchId = lastCommitted + 1;
            if (lastPlanned > lastCommitted)
            {
                var planned = (await offsets.GetAsync(lastPlanned, cancellationToken).ConfigureAwait(false))!;
                await RunBatchAsync(lastPlanned, planned, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Active.TryRemove(checkpoint.Root, out _);
            throw;
        }
    }

    /// <summary>Releases the checkpoint for another run.</summary>
    /// <summary>Whether a source tells when it may have new data, and the count that then moves.</summary>
    public (bool Signals, long Version) SourceChanges => (sources.SignalsChanges, sources.ChangeVersion);

    /// <summary>Completes when the state snapshots still being written in the background, if any, are.</summary>
    public Task FlushAsync() => state?.FlushAsync() ?? Task.CompletedTask;

    public void Release()
    {
        sources.Dispose();
        Active.TryRemove(KeyValuePair.Create(checkpoint.Root, this));
        StreamingTelemetry.Forget(this);
    }

    /// <summary>The end offset of everything available now (for AvailableNow).</summary>
    public Task<string?> LatestAvailableAsync(CancellationToken cancellationToken) =>
        sources.NextEndAsync(committedEnd, unlimited: true, null, cancellationToken);

    /// <summary>Runs the next batch if there is new data (within the limit and up to <paramref name="upTo"/>); false when there was none.</summary>
    public async Task<bool> RunNextAsync(string? upTo, bool unlimited, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var end = await sources.NextEndAsync(committedEnd, unlimited, upTo, cancellationToken).ConfigureAwait(false);
        if (end is null)
        {
            StreamingTelemetry.RecordBacklog(this, SourceProgress.FilesOutstanding(sources.Sources.Select(s => s.Metrics)));
            return false;
        }

        var entry = new JsonObject
        {
            ["start"] = committedEnd,
            ["end"] = end,
            ["watermark"] = execution.WatermarkFor(maxEventTime),
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var latestOffsetMs = watch.ElapsedMilliseconds;
        if (!await offsets.TryAddAsync(nextBatchId, entry, cancellationToken).ConfigureAwait(false))
        {
            // Another run of this query (a predecessor that was presumed dead) planned this batch first:
            // its plan is the one in the write-ahead log, so run exactly that range.
            entry = (await offsets.GetAsync(nextBatchId, cancellationToken).ConfigureAwait(false))!;
        }

        var planned = new BatchPlanning(started, latestOffsetMs, watch.ElapsedMilliseconds - latestOffsetMs);
        await RunBatchAsync(nextBatchId, entry, cancellationToken, planned).ConfigureAwait(false);
        return true;
    }

    /// <summary>When a batch's trigger started, and how long finding its end offset and writing it to the offset log took.</summary>
    private sealed record BatchPlanning(DateTimeOffset Started, long LatestOffsetMs, long WalCommitMs);

    /// <param name="planned">Null for a batch replayed from the offset log on start.</param>
    private async Task RunBatchAsync(long batchId, JsonObject entry, CancellationToken cancellationToken, BatchPlanning? planned = null)
    {
        // A batch that failed part-way may have folded rows into the state: start again from the state of the batch before.
        if (stateMayBeDirty)
        {
            state = await LoadStateAsync(batchId - 1, cancellationToken).ConfigureAwait(false);
        }

        stateMayBeDirty = true;
        await RunCleanBatchAsync(batchId, entry, cancellationToken, planned ?? new BatchPlanning(DateTimeOffset.UtcNow, 0, 0)).ConfigureAwait(false);
        stateMayBeDirty = false;
    }

    private async Task RunCleanBatchAsync(long batchId, JsonObject entry, CancellationToken cancellationToken, BatchPlanning planned)
    {
        using var activity = StreamingTelemetry.StartBatch(this, batchId);
        var watch = Stopwatch.StartNew();
        var start = entry["start"]?.GetValue<string>();
        var end = entry["end"]!.GetValue<string>();
        var watermark = entry["watermark"]?.GetValue<long?>();

        // A stateless batch streams from its sources through the sink (reading happens in addBatch, as in Spark, where
        // getBatch only plans the DataFrame); a stateful one reads its input here.
        var input = sources.Rows(start, end);
        var output = await execution.RunAsync(batchId, input, state, mode, watermark, scheme, cancellationToken).ConfigureAwait(false);
        var getBatchMs = watch.ElapsedMilliseconds;
        try
        {
            await sink.AddBatchAsync(Id, batchId, execution.OutputSchema, output.Rows, mode, cancellationToken).ConfigureAwait(false);
        }
        catch (Storage.Delta.DeltaConcurrencyException)
        {
            // Another run committed this batch (same txn) meanwhile; writing again finds its txn and skips.
            await sink.AddBatchAsync(Id, batchId, execution.OutputSchema, output.Rows, mode, cancellationToken).ConfigureAwait(false);
        }

        var (batchMaxEventTime, stateRows) = (output.MaxEventTime, output.StateRows);

        if (state is not null)
        {
            await state.SaveAsync(checkpoint, batchId, cancellationToken).ConfigureAwait(false);
        }

        // As in Spark, addBatch is the batch's execution, its sink write and its state commit.
        var addBatchMs = watch.ElapsedMilliseconds - getBatchMs;

        maxEventTime = Max(maxEventTime, batchMaxEventTime);
        var commit = new JsonObject { ["maxEventTime"] = maxEventTime };
        if (!await commits.TryAddAsync(batchId, commit, cancellationToken).ConfigureAwait(false) && state is not null)
        {
            // Another run committed this batch first: its state is the one of record.
            state = await LoadStateAsync(batchId, cancellationToken).ConfigureAwait(false);
        }

        committedEnd = end;
        nextBatchId = batchId + 1;
        var inputRows = input.RowCounts;
        var numInput = inputRows.Sum();
        var (starts, ends) = (sources.Split(start), sources.Split(end));
        var triggerMs = watch.ElapsedMilliseconds + planned.LatestOffsetMs + planned.WalCommitMs;

        // Spark's rates: input over the time since the previous batch started (none for the first), processed over this batch's time.
        var inputSeconds = lastBatchStart is { } previous ? (planned.Started - previous).TotalSeconds : double.PositiveInfinity;
        lastBatchStart = planned.Started;
        var progress = new StreamingQueryProgress(
            Id, RunId, Name, DateTimeOffset.UtcNow, batchId, numInput, inputSeconds > 0 ? numInput / inputSeconds : 0, numInput / Math.Max(triggerMs / 1000.0, 1e-3),
            new Dictionary<string, long>
            {
                ["latestOffset"] = planned.LatestOffsetMs,
                ["walCommit"] = planned.WalCommitMs,
                ["getBatch"] = getBatchMs,
                ["addBatch"] = addBatchMs,
                ["commitOffsets"] = watch.ElapsedMilliseconds - getBatchMs - addBatchMs,
                ["triggerExecution"] = triggerMs,
            },
            stateRows?.Total,
            stateRows?.Updated,
            [.. sources.Sources.Select((s, i) => new SourceProgress(s.Description, starts[i], ends[i], inputRows[i]) { Metrics = s.Metrics })],
            sink.Description,
            watermark);
        activity?.SetTag("orleansstreams.batch.input_rows", numInput);
        StreamingTelemetry.Record(this, progress, TimeSpan.FromMilliseconds(triggerMs));
        Progress?.Invoke(progress);
    }

    private async Task<QueryState?> LoadStateAsync(long batchId, CancellationToken cancellationToken) =>
        execution.NewLocalState(scheme) is { } fresh ? await fresh.LoadAsync(checkpoint, batchId, cancellationToken).ConfigureAwait(false) : null;

    private async Task<Guid> ReadOrCreateIdAsync(CancellationToken cancellationToken)
    {
        var fresh = Guid.NewGuid();
        await checkpoint.PutIfAbsentAsync("metadata", System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["id"] = fresh.ToString() }.ToJsonString()), cancellationToken).ConfigureAwait(false);
        var metadata = JsonNode.Parse(await checkpoint.ReadAllAsync("metadata", cancellationToken).ConfigureAwait(false))!;
        return Guid.Parse(metadata["id"]!.GetValue<string>());
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
