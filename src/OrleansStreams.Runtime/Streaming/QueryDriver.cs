using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansStreams.Runtime.Streaming.Schemas;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// Runs one query's batches as its trigger asks: a round of the trigger at a time (see <see cref="RunRoundAsync"/>),
/// rebuilding the runner when the source records a wider schema (when allowed) or when the retry policy retries a
/// failed batch, and keeping the recent progress. The embedded loop (<see cref="LocalStreamingQuery"/>) and the query
/// grain both drive queries through it; they differ only in what wakes them for the next round.
/// </summary>
public sealed class QueryDriver
{
    /// <summary>How many schema changes in a row one batch may meet before the query gives up restarting.</summary>
    private const int MaxSchemaRestarts = 10;

    /// <summary>
    /// How soon an idle query under the default trigger looks again once a watched source changed (Spark's
    /// <c>spark.sql.streaming.pollingDelay</c> is 10 ms too); without a change it still waits the poll interval.
    /// </summary>
    private static readonly TimeSpan ReactionInterval = TimeSpan.FromMilliseconds(10);

    private readonly Func<CancellationToken, Task<MicroBatchRunner>> createRunner;
    private readonly bool restartOnSchemaChange;
    private readonly QueryRetryPolicy retry;
    private readonly ILogger logger;
    private readonly SemaphoreSlim batchGate = new(1, 1);
    private MicroBatchRunner? runner;
    private string? availableNowTarget;
    private int failuresInARow;
    private DateTimeOffset retryNotBefore;
    private readonly TimeSpan pollInterval;
    private readonly TimeSpan roundInterval;

    /// <summary>When an idle default-trigger query polls its sources next, change or not.</summary>
    private DateTimeOffset nextPoll;

    /// <summary>The sources' change count when they were last looked at.</summary>
    private long lookedAtVersion = -1;

    /// <param name="createRunner">Builds a runner on the query's checkpoint; building reads the sources' latest schemas.</param>
    /// <param name="pollInterval">How long an idle query waits before it looks for new data again.</param>
    public QueryDriver(
        Func<CancellationToken, Task<MicroBatchRunner>> createRunner, Trigger trigger, TimeSpan pollInterval, bool restartOnSchemaChange = false, QueryRetryPolicy? retry = null, ILogger? logger = null)
    {
        this.createRunner = createRunner;
        this.restartOnSchemaChange = restartOnSchemaChange;
        this.retry = retry ?? QueryRetryPolicy.None;
        this.logger = logger ?? NullLogger.Instance;
        Trigger = trigger;
        this.pollInterval = pollInterval;
        roundInterval = trigger switch
        {
            ProcessingTimeTrigger { Interval: var interval } => interval,
            ContinuousTrigger { CheckpointInterval: var c } => TimeSpan.FromTicks(Math.Min(c.Ticks, pollInterval.Ticks)),
            _ => pollInterval,
        };
    }

    public Trigger Trigger { get; }

    /// <summary>
    /// The pause between rounds: the processing-time interval, or the idle poll interval — or, under the default
    /// trigger with a watched source, the short <see cref="ReactionInterval"/>, where a round without a change is skipped.
    /// </summary>
    public TimeSpan RoundInterval => Reacts ? ReactionInterval : roundInterval;

    /// <summary>Whether idle rounds look at the sources only when they changed or the poll interval passed.</summary>
    private bool Reacts => Trigger is DefaultTrigger && pollInterval > ReactionInterval && runner?.SourceChanges.Signals == true;

    /// <summary>Whether rounds run by themselves; a manual trigger runs batches only on ProcessAllAvailable.</summary>
    public bool RunsByItself => Trigger is not ManualTrigger;

    /// <summary>Stable across restarts (kept in the checkpoint); empty before the first start.</summary>
    public Guid Id => runner?.Id ?? Guid.Empty;

    /// <summary>The current runner's run; empty before the first start.</summary>
    public Guid RunId => runner?.RunId ?? Guid.Empty;

    public ProgressHistory History { get; } = new();

    public long LastBatchId { get; private set; } = -1;

    public long TotalInputRows { get; private set; }

    /// <summary>What the query is doing, in Spark's words ("Processing new data", "Waiting for data to arrive", ...).</summary>
    public string Status { get; private set; } = "Initializing sources";

    /// <summary>The last batch attempt found no new data.</summary>
    public bool WaitingForData { get; private set; }

    /// <summary>Raised for every committed batch.</summary>
    public event Action<StreamingQueryProgress>? Progress;

    /// <summary>Raised when a batch attempt finds no new data.</summary>
    public event Action? Idle;

    /// <summary>Builds and starts the runner, which runs an uncommitted batch again; AvailableNow fixes its target here.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await StartRunnerAsync(cancellationToken).ConfigureAwait(false);
        if (Trigger is AvailableNowTrigger)
        {
            availableNowTarget = await runner!.LatestAvailableAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One round of the trigger: the batches up to the AvailableNow target, one batch for Once (unlimited) and
    /// ProcessingTime, batches until no new data for the default and continuous triggers, none for Manual.
    /// No batch starts once <paramref name="stopping"/> is cancelled; <paramref name="abandon"/> cancels a running one.
    /// A failed batch is retried in a later round when the retry policy allows, and thrown otherwise.
    /// </summary>
    /// <returns>True when the trigger is done (AvailableNow reached its target, Once ran its batch): the query stops.</returns>
    public async Task<bool> RunRoundAsync(CancellationToken stopping, CancellationToken abandon)
    {
        if (DateTimeOffset.UtcNow < retryNotBefore)
        {
            return false;
        }

        try
        {
            switch (Trigger)
            {
                case AvailableNowTrigger:
                    while (availableNowTarget is not null && !stopping.IsCancellationRequested && await RunOneAsync(availableNowTarget, unlimited: false, abandon).ConfigureAwait(false))
                    {
                    }

                    return !stopping.IsCancellationRequested; // a stop before the target leaves the rest to the next start
                case OnceTrigger:
                    await RunOneAsync(null, unlimited: true, abandon).ConfigureAwait(false);
                    return true;
                case ManualTrigger:
                    Status = "Waiting for ProcessAllAvailable";
                    return false;
                case ProcessingTimeTrigger:
                    await RunOneAsync(null, unlimited: false, abandon).ConfigureAwait(false);
                    Status = "Waiting for next trigger";
                    return false;
                default:
                    if (Reacts && !LookDue())
                    {
                        return false;
                    }

                    while (!stopping.IsCancellationRequested && await RunOneAsync(null, unlimited: false, abandon).ConfigureAwait(false))
                    {
                    }

                    nextPoll = DateTimeOffset.UtcNow + pollInterval;
                    return false;
            }
        }
        catch (Exception e) when (!abandon.IsCancellationRequested && failuresInARow < retry.MaxRetries && e is not OutOfMemoryException)
        {
            failuresInARow++;
            var pause = retry.Backoff(failuresInARow);
            retryNotBefore = DateTimeOffset.UtcNow + pause;
            Status = $"Retrying in {pause.TotalSeconds:0.#} s after a failure ({failuresInARow} of {retry.MaxRetries}): {e.Message}";
            logger.LogWarning(e, "Query {Name} failed a batch; retry {Attempt} of {MaxRetries} in {Pause}", runner?.Name, failuresInARow, retry.MaxRetries, pause);
            runner?.Release();
            runner = null; // the next round starts a fresh runner, which replays the failed batch from the offset log
            return false;
        }
    }

    /// <summary>Runs the next batch (up to <paramref name="upTo"/>); false when there was no new data.</summary>
    public async Task<bool> RunOneAsync(string? upTo, bool unlimited, CancellationToken cancellationToken)
    {
        await batchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (runner is null)
            {
                await StartRunnerAsync(cancellationToken).ConfigureAwait(false); // after a failure the retry policy retries
            }

            Status = "Processing new data";
            var ran = await RunWithSchemaRestartsAsync(upTo, unlimited, cancellationToken).ConfigureAwait(false);
            WaitingForData = !ran;
            if (ran)
            {
                failuresInARow = 0;
            }
            else
            {
                Status = "Waiting for data to arrive";
                Idle?.Invoke();
            }

            return ran;
        }
        finally
        {
            batchGate.Release();
        }
    }

    /// <summary>Whether an idle round should look at the sources: one changed since the last look, or the poll interval passed.</summary>
    private bool LookDue()
    {
        var version = runner!.SourceChanges.Version;
        if (version == lookedAtVersion && DateTimeOffset.UtcNow < nextPoll)
        {
            return false;
        }

        lookedAtVersion = version; // read before looking: a change during the round brings another
        return true;
    }

    /// <summary>Releases the checkpoint once what the runner still writes in the background (a state snapshot) is written; the runner reports nothing more.</summary>
    public async Task ReleaseAsync()
    {
        Status = "Stopped";
        if (runner is not null)
        {
            runner.Progress -= OnProgress;
            await runner.FlushAsync().ConfigureAwait(false);
            runner.Release();
        }
    }

    private async Task<bool> RunWithSchemaRestartsAsync(string? upTo, bool unlimited, CancellationToken cancellationToken)
    {
        for (var restarts = 0; ; restarts++)
        {
            try
            {
                return await runner!.RunNextAsync(upTo, unlimited, cancellationToken).ConfigureAwait(false);
            }
            catch (UnknownFieldException e) when (restartOnSchemaChange && e.SchemaEvolved && restarts < MaxSchemaRestarts)
            {
                Status = "Restarting with the new schema";
                logger.LogInformation("Query {Name} restarts with its source's new schema: {Reason}", runner!.Name, e.Message);
                await StartRunnerAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A new runner on the same checkpoint, started; when the batch it replays meets a schema change (and restarts are allowed), another.</summary>
    private async Task StartRunnerAsync(CancellationToken cancellationToken)
    {
        for (var restarts = 0; ; restarts++)
        {
            await ReplaceRunnerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await runner!.StartAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (UnknownFieldException e) when (restartOnSchemaChange && e.SchemaEvolved && restarts < MaxSchemaRestarts)
            {
                logger.LogInformation("Query {Name} restarts with its source's new schema: {Reason}", runner!.Name, e.Message);
            }
        }
    }

    private async Task ReplaceRunnerAsync(CancellationToken cancellationToken)
    {
        if (runner is not null)
        {
            runner.Progress -= OnProgress;
            runner.Release(); // a replaced runner reports nothing more
        }

        runner = await createRunner(cancellationToken).ConfigureAwait(false);
        runner.Progress += OnProgress;
    }

    private void OnProgress(StreamingQueryProgress progress)
    {
        LastBatchId = progress.BatchId;
        TotalInputRows += progress.NumInputRows;
        History.Add(progress);
        Progress?.Invoke(progress);
    }
}
