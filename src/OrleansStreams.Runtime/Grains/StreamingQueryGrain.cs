using Microsoft.Extensions.Logging;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// Runs one streaming query inside the cluster. Its state (the definition and whether it runs) is
/// persisted in the query's checkpoint (<c>_grains/query.json</c>); on activation — first start, or after the silo that ran it
/// died — it rebuilds the query's <see cref="QueryDriver"/>, whose runner replays an uncommitted batch with the same
/// offsets, and a grain timer runs the driver's rounds. Rounds run one at a time on the grain; status and stop calls interleave with them.
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

    /// <summary>The running query's driver; null while it does not run.</summary>
    private QueryDriver? driver;

    /// <summary>The driver of the last run, kept after a stop for what it reports (ids, last batch).</summary>
    private QueryDriver? lastRun;

    private IGrainTimer? timer;

    /// <summary>True once a caller started (or re-attached to) the query in this activation; false while it only resumed by itself.</summary>
    private bool claimed;

    /// <summary>The current run's shutdown: begun when the query is stopped, the silo shuts down or the activation ends.</summary>
    private BatchShutdown shutdown = new(TimeSpan.Zero);

    /// <summary>Begins the current run's shutdown when the silo starts shutting down.</summary>
    private CancellationTokenRegistration siloStopping;

    private Task runningRound = Task.CompletedTask;

    /// <summary>The stop under way: a second stop joins it, a start waits for it.</summary>
    private Task stopping = Task.CompletedTask;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Running: true, Definition: { } definition })
        {
            try
            {
                // The silos may have been restarted with narrower AllowedLocations since the query started.
                await QueryLocations.DemandAllowedAsync(definition, environment.AllowedRoots, environment.Stores, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                // Refused as a start would be: the query stays failed, with the location and the setting named, until started again.
                await RecordNotRunningAsync(definition, e);
                await UnregisterResumeReminderAsync();
                logger.LogError(e, "Query on {Checkpoint} not resumed", definition.CheckpointLocation);
                return;
            }

            logger.LogInformation("Resuming query on {Checkpoint} after activation on {Silo}", definition.CheckpointLocation, RuntimeIdentity);
            await StartDriverAsync(definition, cancellationToken);
        }
    }

    public async Task<QueryStatus> StartAsync(QueryDefinition definition)
    {
        await stopping;
        await QueryLocations.DemandAllowedAsync(definition, environment.AllowedRoots, environment.Stores, CancellationToken.None);
        if (driver is not null && claimed)
        {
            throw new InvalidOperationException($"A query is already running with the checkpoint location {definition.CheckpointLocation}");
        }

        if (driver is not null && state.State.Definition is { } resumed && SameQuery(resumed, definition))
        {
            // The query resumed by itself after its process or silo died; the caller restarting it takes it over.
            claimed = true;
            driver.History.Clear();
            return Status();
        }

        if (driver is not null)
        {
            await StopAsync(); // a different query replaces the resumed one on this checkpoint
        }

        await BeginRunAsync(definition);
        return Status();
    }

    public async Task<QueryStatus> StartRegisteredAsync()
    {
        await stopping;
        var definition = state.State.Definition
            ?? throw new InvalidOperationException($"No query was ever started on the checkpoint location {this.GetPrimaryKeyString()}");
        if (driver is null)
        {
            await QueryLocations.DemandAllowedAsync(definition, environment.AllowedRoots, environment.Stores, CancellationToken.None);
            await BeginRunAsync(definition);
        }

        claimed = true;
        return Status();
    }

    public Task<QueryStatus> GetStatusAsync() => Task.FromResult(Status());

    public Task<QueryDefinition?> GetDefinitionAsync() => Task.FromResult(state.State.Definition);

    public async Task<QueryStatus> ProcessAllAvailableAsync()
    {
        try
        {
            while (driver is { } current && await current.RunOneAsync(null, unlimited: false, shutdown.Abandon))
            {
            }
        }
        catch (Exception e)
        {
            RecordFailure(e);
            throw new InvalidOperationException($"The query failed: {e.Message}");
        }

        return Status();
    }

    /// <summary>
    /// Stops the query gracefully: no new batch starts, the running one may finish within the silo's batch grace period
    /// (<c>OrleansStreams:Silo:BatchShutdownGrace</c>) and is abandoned past it, to be replayed by the next start.
    /// </summary>
    public Task StopAsync()
    {
        if (stopping.IsCompleted)
        {
            stopping = StopRunAsync();
        }

        return stopping;
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
            await runningRound.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await shutdown.AbandonNowAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The round's own failure was handled (and logged) by the timer tick that ran it.
        }

        if (driver is not null)
        {
            await driver.ReleaseAsync();
        }

        logger.LogInformation("Query grain on {Checkpoint} deactivated ({Reason})", state.State.Definition?.CheckpointLocation, reason.Description);
    }

    private IQueryRegistryGrain Registry => GrainFactory.GetGrain<IQueryRegistryGrain>(IQueryRegistryGrain.Key);

    private static bool SameQuery(QueryDefinition a, QueryDefinition b) =>
        a.PlanJson == b.PlanJson && a.Sink == b.Sink && a.OutputMode == b.OutputMode && a.Trigger == b.Trigger && a.PartitionBy.SequenceEqual(b.PartitionBy);

    /// <summary>Registers the query as running, clears a past failure, and starts it; a query that cannot start is recorded as failed.</summary>
    private async Task BeginRunAsync(QueryDefinition definition)
    {
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
        state.State.ErrorDetail = null;
        state.State.LastProgressJson = null;
        lastRun = null;
        await state.WriteStateAsync();
        try
        {
            await StartDriverAsync(definition, CancellationToken.None);
        }
        catch (Exception e)
        {
            claimed = false;
            await RecordNotRunningAsync(definition, e);

            // Only framework exception types cross the grain boundary reliably.
            throw new InvalidOperationException($"The query on {definition.CheckpointLocation} could not start: {e.Message}");
        }
    }

    private async Task StartDriverAsync(QueryDefinition definition, CancellationToken cancellationToken)
    {
        shutdown = new BatchShutdown(environment.BatchShutdownGrace);
        siloStopping.Dispose();
        siloStopping = siloShutdown.Stopping.Register(shutdown.Begin);
        var spec = await QueryFactory.SpecAsync(definition, environment.Stores, cancellationToken, GrainFactory, logger);
        var next = new QueryDriver(spec.BuildAsync, definition.Trigger, environment.PollInterval, definition.RestartOnSchemaChange, definition.Retry, logger);
        await next.StartAsync(cancellationToken);
        driver = next;
        if (next.RunsByItself)
        {
            timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = next.RoundInterval, Interleave = false });

            // Timer ticks are not activity: without this the idle collector would deactivate a query nobody calls.
            DelayDeactivation(Timeout.InfiniteTimeSpan);
            await this.RegisterOrUpdateReminder(ResumeReminder, environment.ResumeReminderPeriod, environment.ResumeReminderPeriod);
        }
    }

    private async Task StopRunAsync()
    {
        claimed = false;
        shutdown.Begin();
        timer?.Dispose();
        timer = null;
        try
        {
            await runningRound;
        }
        catch (Exception)
        {
            // The tick that ran the round reports its failure (an OutOfMemoryException too: the query must still stop).
        }

        if (driver is not null)
        {
            await driver.ReleaseAsync();
            lastRun = driver;
            driver = null;
        }

        // The registry first: a status call (interleaved) shows the query ended only once Running is false, and a
        // caller who then lists the queries must find it stopped too.
        if (state.State.Definition is { } definition)
        {
            await Registry.MarkStoppedAsync(definition.CheckpointLocation, state.State.Error);
        }

        state.State.Running = false;
        state.State.LastProgressJson = LastProgressJson;
        await state.WriteStateAsync();

        // Idle from now on: collected like any other grain, and nothing brings it back.
        DelayDeactivation(TimeSpan.Zero);
        await UnregisterResumeReminderAsync();
    }

    private async Task UnregisterResumeReminderAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        var run = shutdown;
        if (driver is not { } current || run.IsStopping)
        {
            return;
        }

        // The timer's token is cancelled when the activation goes away: finish or abandon the batch.
        using var ending = cancellationToken.Register(run.Begin);
        var checkpoint = state.State.Definition!.CheckpointLocation;
        var round = current.RunRoundAsync(run.Stopping, run.Abandon);
        runningRound = round;
        try
        {
            if (await round && !run.IsStopping)
            {
                await StopAsync(); // the trigger is done (AvailableNow reached its target, Once ran its batch)
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && run.IsStopping)
        {
            // Stopped, or the silo is going away under the batch: the next start or activation replays it.
            logger.LogWarning(e, "Batch of the query on {Checkpoint} abandoned as the query stops; its next start replays it", checkpoint);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or OperationCanceledException)
        {
            // A grain the batch used was on a silo that failed (or a call timed out): the next tick runs the batch again from its write-ahead log.
            logger.LogWarning(e, "Batch of the query on {Checkpoint} will be retried after a silo failure", checkpoint);
        }
        catch (Exception e)
        {
            // As in Spark, a failed query stays failed, with its error, until it is started again.
            RecordFailure(e);
            logger.LogError(e, "Query on {Checkpoint} failed", checkpoint);
            await StopAsync();
        }
    }

    /// <summary>A query that could not start or resume: failed with <paramref name="e"/>, in its state and in the registry.</summary>
    private async Task RecordNotRunningAsync(QueryDefinition definition, Exception e)
    {
        state.State.Running = false;
        RecordFailure(e);
        await state.WriteStateAsync();
        await Registry.MarkStoppedAsync(definition.CheckpointLocation, state.State.Error);
    }

    /// <summary>Keeps the failure as Spark reports it: the one-line message, and the exception with its stack trace for the UI.</summary>
    private void RecordFailure(Exception e)
    {
        state.State.Error = $"{e.GetType().Name}: {e.Message}";
        state.State.ErrorDetail = e.ToString();
    }

    private string? LastProgressJson => (driver ?? lastRun)?.History.RecentJson is [.., var last] ? last : state.State.LastProgressJson;

    private QueryStatus Status()
    {
        var run = driver ?? lastRun;
        return new(run?.Id ?? Guid.Empty, driver is not null && state.State.Running, run?.LastBatchId ?? -1, run?.TotalInputRows ?? 0, state.State.Error, LastProgressJson, RuntimeIdentity,
            run?.RunId ?? Guid.Empty, [.. run?.History.RecentJson ?? []], state.State.Definition is not null && !state.State.Running,
            driver?.WaitingForData ?? false)
        {
            ErrorDetail = state.State.Error is null ? null : state.State.ErrorDetail,
        };
    }
}
