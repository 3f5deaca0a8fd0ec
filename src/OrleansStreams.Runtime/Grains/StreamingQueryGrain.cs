using Microsoft.Extensions.Logging;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Runtime.Streaming.Schemas;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Runs one streaming query inside the cluster. Its state (the definition and whether it runs) is
/// persisted in the query's checkpoint (<c>_grains/query.json</c>); on activation — first start, or after the silo that ran it
/// died — it rebuilds the runner, which replays an uncommitted batch with the same offsets, and its
/// timer drives the trigger. Batches run one at a time on the grain; status calls interleave with them.
/// While the query runs, nothing but the query needs the grain: it keeps its activation from idle collection, and a
/// reminder (<see cref="ResumeReminder"/>, registered while it runs) activates it again on a live silo after its silo
/// died or the cluster restarted, with no client call.
/// </summary>
public sealed class StreamingQueryGrain(
    [PersistentState("query", OrleansStreamsSilo.QueryCheckpointStorage)] IPersistentState<QueryGrainState> state,
    OrleansStreamsEnvironment environment,
    SiloShutdownSignal siloShutdown,
    ILogger<StreamingQueryGrain> logger) : Grain, IStreamingQueryGrain, IRemindable
{
    /// <summary>The reminder whose ticks bring a running query back (its activation resumes it).</summary>
    public const string ResumeReminder = "resume";

    private MicroBatchRunner? runner;
    private IGrainTimer? timer;
    private string? availableNowTarget;
    private long lastBatchId = -1;
    private long totalRows;
    private string? error;
    private string? lastProgress;
    private readonly List<string> recentProgress = [];
    private bool busy;

    /// <summary>The last trigger found no new data: the query waits for data to arrive (the caller's listeners hear it is idle).</summary>
    private bool waitingForData;

    /// <summary>True once a caller started (or re-attached to) the query in this activation; false while it only resumed by itself.</summary>
    private bool claimed;

    /// <summary>The current run's shutdown: begun when the silo shuts down or the run's timer ends.</summary>
    private BatchShutdown shutdown = new(TimeSpan.Zero);

    /// <summary>Begins the current run's shutdown when the silo starts shutting down.</summary>
    private CancellationTokenRegistration siloStopping;

    private Task runningBatch = Task.CompletedTask;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        lastProgress = state.State.LastProgressJson;
        if (state.State is { Running: true, Definition: { } definition })
        {
            logger.LogInformation("Resuming query on {Checkpoint} after activation on {Silo}", definition.CheckpointLocation, RuntimeIdentity);
            await StartRunnerAsync(definition, cancellationToken);
        }
    }

    public async Task<QueryStatus> StartAsync(QueryDefinition definition)
    {
        await QueryLocations.DemandAllowedAsync(definition, environment.AllowedRoots, environment.Stores, CancellationToken.None);
        if (runner is not null && claimed)
        {
            throw new InvalidOperationException($"A query is already running with the checkpoint location {definition.CheckpointLocation}");
        }

        if (runner is not null && state.State.Definition is { } resumed && SameQuery(resumed, definition))
        {
            // The query resumed by itself after its process or silo died; the caller restarting it takes it over.
            claimed = true;
            recentProgress.Clear();
            return Status();
        }

        if (runner is not null)
        {
            await StopAsync(); // a different query replaces the resumed one on this checkpoint
        }

        claimed = true;

        await Registry.RegisterAsync(new QueryRegistration
        {
            Name = definition.QueryName,
            CheckpointLocation = definition.CheckpointLocation,
            Sink = definition.Sink,
            StartedAt = DateTimeOffset.UtcNow,
        });
        state.State.Definition = definition;
        state.State.Running = true;
        state.State.Error = null;
        state.State.LastProgressJson = null;
        error = null;
        recentProgress.Clear();
        (lastBatchId, totalRows, lastProgress) = (-1, 0, null);
        await state.WriteStateAsync();
        try
        {
            await StartRunnerAsync(definition, CancellationToken.None);
        }
        catch (Exception e)
        {
            await Registry.MarkStoppedAsync(definition.CheckpointLocation, e.Message);

            // Only framework exception types cross the grain boundary reliably.
            throw new InvalidOperationException($"The query on {definition.CheckpointLocation} could not start: {e.Message}");
        }

        return Status();
    }

    public Task<QueryStatus> GetStatusAsync() => Task.FromResult(Status());

    public async Task<QueryStatus> ProcessAllAvailableAsync()
    {
        try
        {
            while (runner is not null && await RunOneAsync(null))
            {
            }
        }
        catch (Exception e)
        {
            error = e.Message;
            throw new InvalidOperationException($"The query failed: {e.Message}");
        }

        return Status();
    }

    public async Task StopAsync()
    {
        claimed = false;
        timer?.Dispose();
        timer = null;
        runner?.Release();
        runner = null;
        state.State.Running = false;
        state.State.LastProgressJson = lastProgress ?? state.State.LastProgressJson;
        await state.WriteStateAsync();
        if (state.State.Definition is { } definition)
        {
            await Registry.MarkStoppedAsync(definition.CheckpointLocation, state.State.Error);
        }

        // Idle from now on: collected like any other grain, and nothing brings it back.
        DelayDeactivation(TimeSpan.Zero);
        await UnregisterResumeReminderAsync();
    }

    /// <summary>
    /// A tick only needs to reach the grain: its activation resumed a running query. A query that stopped meanwhile
    /// (or whose reminder outlived it) drops the reminder.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ResumeReminder && !state.State.Running)
        {
            await UnregisterResumeReminderAsync();
        }
    }

    private async Task UnregisterResumeReminderAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// The silo is shutting down (or the grain is being moved): no new batch starts, the running one may finish
    /// within the grace period and is abandoned past it. The query stays running in its state, so its next
    /// activation resumes it, replaying an abandoned batch from the offset log.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        shutdown.Begin();
        timer?.Dispose();
        timer = null;
        try
        {
            await runningBatch.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await shutdown.AbandonNowAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The batch's own failure was handled (and logged) by the timer tick that ran it.
        }

        runner?.Release();
        logger.LogInformation("Query grain on {Checkpoint} deactivated ({Reason})", state.State.Definition?.CheckpointLocation, reason.Description);
    }

    private IQueryRegistryGrain Registry => GrainFactory.GetGrain<IQueryRegistryGrain>(IQueryRegistryGrain.Key);

    private static bool SameQuery(QueryDefinition a, QueryDefinition b) =>
        a.PlanJson == b.PlanJson && a.Sink == b.Sink && a.OutputMode == b.OutputMode && a.Trigger == b.Trigger && a.PartitionBy.SequenceEqual(b.PartitionBy);

    private async Task StartRunnerAsync(QueryDefinition definition, CancellationToken cancellationToken)
    {
        shutdown = new BatchShutdown(environment.BatchShutdownGrace);
        siloStopping.Dispose();
        siloStopping = siloShutdown.Stopping.Register(shutdown.Begin);
        await CreateRunnerAsync(definition, cancellationToken);
        if (definition.Trigger == "availableNow")
        {
            availableNowTarget = await runner!.LatestAvailableAsync(cancellationToken);
        }

        var period = definition.Trigger is "processingTime" or "continuous" && definition.TriggerIntervalMs > 0
            ? TimeSpan.FromMilliseconds(definition.TriggerIntervalMs)
            : environment.PollInterval;
        if (definition.Trigger != "manual")
        {
            timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = period, Interleave = false });

            // Timer ticks are not activity: without this the idle collector would deactivate a query nobody calls.
            DelayDeactivation(Timeout.InfiniteTimeSpan);
            await this.RegisterOrUpdateReminder(ResumeReminder, environment.ResumeReminderPeriod, environment.ResumeReminderPeriod);
        }
    }

    /// <summary>
    /// Builds the runner (reading the source's latest schema) and starts it, which runs an uncommitted batch again;
    /// with RestartOnSchemaChange, a schema change met by that batch builds it again with the new schema.
    /// </summary>
    private async Task CreateRunnerAsync(QueryDefinition definition, CancellationToken cancellationToken)
    {
        for (var restarts = 0; ; restarts++)
        {
            runner?.Release(); // a runner replaced for a new schema reports nothing more
            runner = await QueryFactory.CreateRunnerAsync(definition, environment.Stores, claimInProcess: false, cancellationToken, GrainFactory, logger);
            runner.Progress += OnProgress;
            try
            {
                await runner.StartAsync(cancellationToken);
                return;
            }
            catch (UnknownFieldException e) when (e.SchemaEvolved && definition.RestartOnSchemaChange && restarts < MaxSchemaRestarts)
            {
                logger.LogInformation("Query on {Checkpoint} restarts with its source's new schema: {Reason}", definition.CheckpointLocation, e.Message);
            }
        }
    }

    private void OnProgress(StreamingQueryProgress p)
    {
        lastBatchId = p.BatchId;
        totalRows += p.NumInputRows;
        lastProgress = p.ToJson().ToJsonString();
        recentProgress.Add(lastProgress);
        if (recentProgress.Count > 100)
        {
            recentProgress.RemoveAt(0);
        }
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        var run = shutdown;
        if (runner is null || busy || run.IsStopping)
        {
            return;
        }

        // The timer's token is cancelled when the activation goes away (or the run stops): finish or abandon the batch.
        using var ending = cancellationToken.Register(run.Begin);
        var definition = state.State.Definition!;
        try
        {
            switch (definition.Trigger)
            {
                case "availableNow":
                    while (availableNowTarget is not null && await RunOneAsync(availableNowTarget))
                    {
                        if (run.IsStopping)
                        {
                            return; // not finished: the next activation goes on to the same target
                        }
                    }

                    await StopAsync();
                    break;
                case "once":
                    await RunOneAsync(null, unlimited: true);
                    await StopAsync();
                    break;
                case "processingTime":
                    await RunOneAsync(null);
                    break;
                default:
                    while (!run.IsStopping && await RunOneAsync(null))
                    {
                    }

                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The silo is going away under the batch: the query is not finished, its next activation resumes it.
            logger.LogWarning(e, "Batch of the query on {Checkpoint} abandoned as the silo shuts down; its next activation replays it", definition.CheckpointLocation);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
        {
            // A grain the batch used was on a silo that failed: the next tick runs the batch again from its write-ahead log.
            logger.LogWarning(e, "Batch of the query on {Checkpoint} will be retried after a silo failure", definition.CheckpointLocation);
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            state.State.Error = error;
            logger.LogError(e, "Query on {Checkpoint} failed", definition.CheckpointLocation);
            await StopAsync();
        }
    }

    private async Task<bool> RunOneAsync(string? upTo, bool unlimited = false)
    {
        busy = true;
        var batch = RunWithSchemaRestartsAsync(upTo, unlimited);
        runningBatch = batch;
        try
        {
            var ran = await batch;
            waitingForData = !ran;
            return ran;
        }
        finally
        {
            busy = false;
        }
    }

    private async Task<bool> RunWithSchemaRestartsAsync(string? upTo, bool unlimited)
    {
        for (var restarts = 0; ; restarts++)
        {
            try
            {
                return await runner!.RunNextAsync(upTo, unlimited, shutdown.Abandon);
            }
            catch (UnknownFieldException e) when (e.SchemaEvolved && state.State.Definition is { RestartOnSchemaChange: true } definition && restarts < MaxSchemaRestarts)
            {
                logger.LogInformation("Query on {Checkpoint} restarts with its source's new schema: {Reason}", definition.CheckpointLocation, e.Message);
                await CreateRunnerAsync(definition, CancellationToken.None);
            }
        }
    }

    /// <summary>How many schema changes in a row one batch may meet before the query gives up restarting.</summary>
    private const int MaxSchemaRestarts = 10;

    private QueryStatus Status() =>
        new(runner?.Id ?? Guid.Empty, runner is not null && state.State.Running, lastBatchId, totalRows, error ?? state.State.Error, lastProgress, RuntimeIdentity,
            runner?.RunId ?? Guid.Empty, [.. recentProgress], state.State.Definition is not null && !state.State.Running, waitingForData);
}
