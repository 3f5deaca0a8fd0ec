namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A running streaming query, as Spark's StreamingQuery: identity, status and progress, and
/// Stop / AwaitTermination / ProcessAllAvailable. Runs in this process or on a query grain.
/// </summary>
public abstract class StreamingQuery : IAsyncDisposable
{
    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ProgressHistory progress = new();

    /// <summary>Stable across restarts (kept in the checkpoint).</summary>
    public abstract Guid Id { get; }

    /// <summary>New for every start.</summary>
    public abstract Guid RunId { get; }

    public abstract string? Name { get; }

    public abstract bool IsActive { get; }

    public abstract Exception? Exception { get; }

    public abstract string Status { get; }

    public StreamingQueryProgress? LastProgress => progress.Last;

    public IReadOnlyList<StreamingQueryProgress> RecentProgress => progress.Recent;

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
    protected bool AddProgress(StreamingQueryProgress report) => progress.Add(report);
}
