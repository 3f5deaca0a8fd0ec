namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A streaming query run in this process: the trigger loop around a <see cref="MicroBatchRunner"/>.
/// Used for sinks that live in the caller (memory, console, foreachBatch) and by tests of the loop itself.
/// </summary>
public sealed class LocalStreamingQuery : StreamingQuery
{
    /// <summary>How many schema changes in a row one batch may meet before the query gives up restarting.</summary>
    private const int MaxSchemaRestarts = 10;

    private readonly Func<MicroBatchRunner>? restartOnSchemaChange;
    private MicroBatchRunner runner;
    private readonly Trigger trigger;
    private readonly TimeSpan pollInterval;
    private readonly IReadOnlyList<IStreamingQueryListener> listeners;
    private readonly SemaphoreSlim batchGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private Exception? exception;
    private string status = "Initializing sources";

    /// <param name="restartOnSchemaChange">
    /// When given, a batch that stops on new columns (addNewColumns, the wider schema recorded) restarts the query with a
    /// runner from this factory, which reads the new schema and runs the batch again; otherwise the query fails.
    /// </param>
    public LocalStreamingQuery(
        MicroBatchRunner runner, Trigger trigger, TimeSpan? pollInterval = null, IReadOnlyList<IStreamingQueryListener>? listeners = null, Func<MicroBatchRunner>? restartOnSchemaChange = null)
    {
        this.runner = runner;
        this.restartOnSchemaChange = restartOnSchemaChange;
        this.trigger = trigger;
        this.pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
        this.listeners = listeners ?? [];
        runner.Progress += OnProgress;
    }

    /// <summary>Stable across restarts (kept in the checkpoint).</summary>
    public override Guid Id => runner.Id;

    /// <summary>New for every start.</summary>
    public override Guid RunId => runner.RunId;

    public override string? Name => runner.Name;

    public override bool IsActive => loop is not null && !HasTerminated;

    public override Exception? Exception => exception;

    public override string Status => status;

    public override async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await StartRunnerAsync(cancellationToken).ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            listener.OnQueryStarted(this);
        }

        loop = Task.Run(RunLoopAsync, CancellationToken.None);
    }

    /// <summary>Runs batches until the sources have nothing new (and returns; the query keeps running).</summary>
    public override async Task ProcessAllAvailableAsync(CancellationToken cancellationToken = default)
    {
        while (await RunOneAsync(null, unlimited: false, cancellationToken).ConfigureAwait(false))
        {
        }

        if (Exception is not null)
        {
            throw new StreamingQueryException($"Query {Name ?? Id.ToString()} failed: {Exception.Message}", Exception);
        }
    }

    public override async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await Termination.ConfigureAwait(false);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
        batchGate.Dispose();
    }

    private async Task RunLoopAsync()
    {
        var token = stopping.Token;
        try
        {
            switch (trigger)
            {
                case AvailableNowTrigger:
                    var target = await runner.LatestAvailableAsync(token).ConfigureAwait(false);
                    while (target is not null && await RunOneAsync(target, unlimited: false, token).ConfigureAwait(false))
                    {
                    }

                    break;
                case OnceTrigger:
                    await RunOneAsync(null, unlimited: true, token).ConfigureAwait(false);
                    break;
                case ManualTrigger:
                    status = "Waiting for ProcessAllAvailable";
                    await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                    break;
                case ProcessingTimeTrigger { Interval: var interval }:
                    var next = DateTimeOffset.UtcNow;
                    while (!token.IsCancellationRequested)
                    {
                        await RunOneAsync(null, unlimited: false, token).ConfigureAwait(false);
                        next += interval;
                        var wait = next - DateTimeOffset.UtcNow;
                        if (wait > TimeSpan.Zero)
                        {
                            status = "Waiting for next trigger";
                            await Task.Delay(wait, token).ConfigureAwait(false);
                        }
                        else
                        {
                            next = DateTimeOffset.UtcNow; // a batch that overran starts the next one at once
                        }
                    }

                    break;
                default:
                    var idle = trigger is ContinuousTrigger { CheckpointInterval: var c } ? TimeSpan.FromTicks(Math.Min(c.Ticks, pollInterval.Ticks)) : pollInterval;
                    while (!token.IsCancellationRequested)
                    {
                        if (!await RunOneAsync(null, unlimited: false, token).ConfigureAwait(false))
                        {
                            status = "Waiting for data to arrive";
                            await Task.Delay(idle, token).ConfigureAwait(false);
                        }
                    }

                    break;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // stopped
        }
        catch (Exception e)
        {
            exception = e;
        }
        finally
        {
            status = "Stopped";
            runner.Release();
            foreach (var listener in listeners)
            {
                listener.OnQueryTerminated(this, Exception);
            }

            MarkTerminated();
        }
    }

    private async Task<bool> RunOneAsync(string? upTo, bool unlimited, CancellationToken cancellationToken)
    {
        await batchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            status = "Processing new data";
            var ran = await RunNextAsync(upTo, unlimited, cancellationToken).ConfigureAwait(false);
            if (!ran)
            {
                foreach (var listener in listeners)
                {
                    listener.OnQueryIdle(this);
                }
            }

            return ran;
        }
        finally
        {
            batchGate.Release();
        }
    }

    private async Task<bool> RunNextAsync(string? upTo, bool unlimited, CancellationToken cancellationToken)
    {
        for (var restarts = 0; ; restarts++)
        {
            try
            {
                return await runner.RunNextAsync(upTo, unlimited, cancellationToken).ConfigureAwait(false);
            }
            catch (Schemas.UnknownFieldException e) when (restartOnSchemaChange is not null && e.SchemaEvolved && restarts < MaxSchemaRestarts)
            {
                status = "Restarting with the new schema";
                runner.Release();
                ReplaceRunner();
                await StartRunnerAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts the runner, which runs an uncommitted batch again; when that batch meets a schema change, starts a new runner with the new schema.</summary>
    private async Task StartRunnerAsync(CancellationToken cancellationToken)
    {
        for (var restarts = 0; ; restarts++)
        {
            try
            {
                await runner.StartAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Schemas.UnknownFieldException e) when (restartOnSchemaChange is not null && e.SchemaEvolved && restarts < MaxSchemaRestarts)
            {
                ReplaceRunner(); // a runner that failed to start has released the checkpoint already
            }
        }
    }

    /// <summary>A new runner on the same checkpoint; building it reads the source's latest schema.</summary>
    private void ReplaceRunner()
    {
        runner.Progress -= OnProgress;
        runner = restartOnSchemaChange!();
        runner.Progress += OnProgress;
    }

    private void OnProgress(StreamingQueryProgress progress)
    {
        AddProgress(progress);
        foreach (var listener in listeners)
        {
            listener.OnQueryProgress(this, progress);
        }
    }
}
