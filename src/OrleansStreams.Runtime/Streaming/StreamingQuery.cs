namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A running streaming query, as Spark's StreamingQuery: identity, status and progress, and
/// Stop / AwaitTermination / ProcessAllAvailable. Runs in this process or on a query grain.
/// </summary>
public abstract class StreamingQuery : IAsyncDisposable
{
    /// <summary>How many progress reports <see cref="RecentProgress"/> keeps (Spark's numRecentProgressUpdates).</summary>
    private const int RecentProgressLimit = 100;

    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<StreamingQueryProgress> recent = [];

    /// <summary>Stable across restarts (kept in the checkpoint).</summary>
    public abstract Guid Id { get; }

    /// <summary>New for every start.</summary>
    public abstract Guid RunId { get; }

    public abstract string? Name { get; }

    public abstract bool IsActive { get; }

    public abstract Exception? Exception { get; }

    public abstract string Status { get; }

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

    /// <summary>Completes when the query has stopped.</summary>
    protected Task Termination => terminated.Task;

    protected bool HasTerminated => terminated.Task.IsCompleted;

    public abstract Task StartAsync(CancellationToken cancellationToken = default);

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
            using var expiry = new CancellationTokenSource(timeout);
            await AwaitTerminationAsync(expiry.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Runs batches until the sources have nothing new (and returns; the query keeps running).</summary>
    public abstract Task ProcessAllAvailableAsync(CancellationToken cancellationToken = default);

    public abstract Task StopAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>Marks the query stopped; true only for the first call.</summary>
    protected bool MarkTerminated() => terminated.TrySetResult();

    /// <summary>Keeps a progress report unless one of the same run and batch is there already; true when kept.</summary>
    protected bool AddProgress(StreamingQueryProgress progress)
    {
        lock (recent)
        {
            if (recent.Any(p => p.RunId == progress.RunId && p.BatchId == progress.BatchId))
            {
                return false;
            }

            recent.Add(progress);
            if (recent.Count > RecentProgressLimit)
            {
                recent.RemoveAt(0);
            }

            return true;
        }
    }
}
