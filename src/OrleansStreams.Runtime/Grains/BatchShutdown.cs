namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The shutdown signals of one run of a query grain: once begun, no new batch starts; once the grace period has
/// passed, the running batch is cancelled (abandoned, to be replayed from the offset log by the next run).
/// Each run gets its own, so stopping one run (which also ends its timer) never touches the next.
/// </summary>
internal sealed class BatchShutdown(TimeSpan grace)
{
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abandon = new();

    public bool IsStopping => stopping.IsCancellationRequested;

    /// <summary>Cancelled once the shutdown has begun: no new batch starts.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <summary>Cancels the running batch once the shutdown is past its grace.</summary>
    public CancellationToken Abandon => abandon.Token;

    public void Begin()
    {
        if (!stopping.IsCancellationRequested)
        {
            stopping.Cancel();
            abandon.CancelAfter(grace);
        }
    }

    public Task AbandonNowAsync() => abandon.CancelAsync();
}
