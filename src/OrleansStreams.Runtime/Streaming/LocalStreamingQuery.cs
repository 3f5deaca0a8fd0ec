namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A streaming query run in this process: a loop that runs its <see cref="QueryDriver"/>'s rounds, pausing between
/// them. Used for sinks that live in the caller (memory, console, foreachBatch) and by tests of the loop itself.
/// </summary>
public sealed class LocalStreamingQuery : StreamingQuery
{
    private readonly QueryDriver driver;
    private readonly IReadOnlyList<IStreamingQueryListener> listeners;
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private Exception? exception;

    public LocalStreamingQuery(QueryDriver driver, string? name, IReadOnlyList<IStreamingQueryListener>? listeners = null)
    {
        this.driver = driver;
        this.listeners = listeners ?? [];
        Name = name;
        driver.Progress += OnProgress;
        driver.Idle += OnIdle;
    }

    /// <summary>Stable across restarts (kept in the checkpoint).</summary>
    public override Guid Id => driver.Id;

    /// <summary>New for every start.</summary>
    public override Guid RunId => driver.RunId;

    public override string? Name { get; }

    public override bool IsActive => loop is not null && !HasTerminated;

    public override Exception? Exception => exception;

    public override string Status => driver.Status;

    public override async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await driver.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            listener.OnQueryStarted(this);
        }

        loop = Task.Run(RunLoopAsync, CancellationToken.None);
    }

    /// <summary>Runs batches until the sources have nothing new (and returns; the query keeps running).</summary>
    public override async Task ProcessAllAvailableAsync(CancellationToken cancellationToken = default)
    {
        while (Exception is null && await driver.RunOneAsync(null, unlimited: false, cancellationToken).ConfigureAwait(false))
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
    }

    /// <summary>Rounds until the trigger is done, the query is stopped, or a batch fails; a stop abandons the running batch, as Spark's stop() interrupts it.</summary>
    private async Task RunLoopAsync()
    {
        var token = stopping.Token;
        try
        {
            while (true)
            {
                var started = DateTimeOffset.UtcNow;
                if (await driver.RunRoundAsync(token, token).ConfigureAwait(false))
                {
                    break;
                }

                // A round that overran its processing-time interval starts the next one at once; a manual trigger never wakes.
                var wait = !driver.RunsByItself ? Timeout.InfiniteTimeSpan
                    : driver.Trigger is ProcessingTimeTrigger ? driver.RoundInterval - (DateTimeOffset.UtcNow - started)
                    : driver.RoundInterval;
                await Task.Delay(wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.Zero ? wait : TimeSpan.Zero, token).ConfigureAwait(false);
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
            await driver.ReleaseAsync().ConfigureAwait(false);
            foreach (var listener in listeners)
            {
                listener.OnQueryTerminated(this, Exception);
            }

            MarkTerminated();
        }
    }

    private void OnIdle()
    {
        foreach (var listener in listeners)
        {
            listener.OnQueryIdle(this);
        }
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
