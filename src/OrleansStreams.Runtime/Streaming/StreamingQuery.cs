namespace OrleansStreams.Runtime.Streaming;

/// <summary>Callbacks on a query's life (Spark's StreamingQueryListener).</summary>
public interface IStreamingQueryListener
{
    void OnQueryStarted(StreamingQuery query) { }

    void OnQueryProgress(StreamingQuery query, StreamingQueryProgress progress) { }

    void OnQueryIdle(StreamingQuery query) { }

    void OnQueryTerminated(StreamingQuery query, Exception? exception) { }
}

/// <summary>
/// A running streaming query: the trigger loop around a <see cref="MicroBatchRunner"/>, its status and
/// progress, and Stop / AwaitTermination / ProcessAllAvailable as in Spark.
/// </summary>
public sealed class StreamingQuery : IAsyncDisposable
{
    private readonly MicroBatchRunner runner;
    private readonly Trigger trigger;
    private readonly TimeSpan pollInterval;
    private readonly IReadOnlyList<IStreamingQueryListener> listeners;
    private readonly SemaphoreSlim batchGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<StreamingQueryProgress> recent = [];
    private Task? loop;

    public StreamingQuery(MicroBatchRunner runner, Trigger trigger, TimeSpan? pollInterval = null, IReadOnlyList<IStreamingQueryListener>? listeners = null)
    {
        this.runner = runner;
        this.trigger = trigger;
        this.pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
        this.listeners = listeners ?? [];
        runner.Progress += OnProgress;
    }

    /// <summary>Stable across restarts (kept in the checkpoint).</summary>
    public Guid Id => runner.Id;

    /// <summary>New for every start.</summary>
    public Guid RunId => runner.RunId;

    public string? Name => runner.Name;

    public bool IsActive => loop is not null && !terminated.Task.IsCompleted;

    public Exception? Exception { get; private set; }

    public string Status { get; private set; } = "Initializing sources";

    public StreamingQueryProgress? LastProgress
    {
        get
        {
            lock (recent)
            {
                return recent.Count == 0 ? null : recent[^1];
            }
        }
    }

    public IReadOnlyList<StreamingQueryProgress> RecentProgress
    {
        get
        {
            lock (recent)
            {
                return recent.ToList();
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await runner.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            listener.OnQueryStarted(this);
        }

        loop = Task.Run(RunLoopAsync, CancellationToken.None);
    }

    /// <summary>Waits until the query stops (by itself, by Stop, or by an error, which is rethrown).</summary>
    public async Task AwaitTerminationAsync(CancellationToken cancellationToken = default)
    {
        await terminated.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (Exception is not null)
        {
            throw new StreamingQueryException($"Query {Name ?? Id.ToString()} [id = {Id}, runId = {RunId}] terminated with exception: {Exception.Message}", Exception);
        }
    }

    /// <summary>Like Spark's awaitTermination(timeout): true when the query ended within the timeout.</summary>
    public async Task<bool> AwaitTerminationAsync(TimeSpan timeout)
    {
        try
        {
            await AwaitTerminationAsync(new CancellationTokenSource(timeout).Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Runs batches until the sources have nothing new (and returns; the query keeps running).</summary>
    public async Task ProcessAllAvailableAsync(CancellationToken cancellationToken = default)
    {
        while (await RunOneAsync(null, unlimited: false, cancellationToken).ConfigureAwait(false))
        {
        }

        if (Exception is not null)
        {
            throw new StreamingQueryException($"Query {Name ?? Id.ToString()} failed: {Exception.Message}", Exception);
        }
    }

    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await terminated.Task.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
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
                    Status = "Waiting for ProcessAllAvailable";
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
                            Status = "Waiting for next trigger";
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
                            Status = "Waiting for data to arrive";
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
            Exception = e;
        }
        finally
        {
            Status = "Stopped";
            runner.Release();
            foreach (var listener in listeners)
            {
                listener.OnQueryTerminated(this, Exception);
            }

            terminated.TrySetResult();
        }
    }

    private async Task<bool> RunOneAsync(string? upTo, bool unlimited, CancellationToken cancellationToken)
    {
        await batchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Status = "Processing new data";
            var ran = await runner.RunNextAsync(upTo, unlimited, cancellationToken).ConfigureAwait(false);
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

    private void OnProgress(StreamingQueryProgress progress)
    {
        lock (recent)
        {
            recent.Add(progress);
            if (recent.Count > 100)
            {
                recent.RemoveAt(0);
            }
        }

        foreach (var listener in listeners)
        {
            listener.OnQueryProgress(this, progress);
        }
    }
}

/// <summary>A query that terminated with an error (Spark's StreamingQueryException).</summary>
public sealed class StreamingQueryException(string message, Exception inner) : Exception(message, inner);
