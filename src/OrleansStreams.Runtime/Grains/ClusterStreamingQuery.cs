using System.Text.Json.Nodes;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// The caller's handle on a query run by its grain: it starts the grain, then polls its status, which
/// brings progress back and — after a silo failure — reactivates the grain elsewhere, where it resumes.
/// </summary>
public sealed class ClusterStreamingQuery(
    IStreamingQueryGrain grain,
    string? name,
    TimeSpan pollInterval,
    IReadOnlyList<IStreamingQueryListener>? listeners = null) : StreamingQuery
{
    /// <summary>
    /// A status call sent to a silo that then died is never answered; waiting this long, not the whole response
    /// timeout, before polling again lets the next call reactivate the grain on a live silo soon.
    /// </summary>
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<IStreamingQueryListener> listeners = listeners ?? [];
    private readonly CancellationTokenSource polling = new();
    private QueryStatus? last;
    private Exception? exception;

    /// <summary>The ids of the last status that had a runner: a stopped grain reports none, and the query keeps its ids once it ends.</summary>
    private (Guid Id, Guid RunId) ids;

    /// <summary>OnQueryIdle was raised for the current idle stretch (reset by the next batch).</summary>
    private bool idleReported;

    public override Guid Id => ids.Id;

    public override Guid RunId => ids.RunId;

    /// <summary>What <see cref="StartAsync"/> hands the grain; a handle that only attaches to a running query has none.</summary>
    public QueryDefinition? Definition { get; init; }

    public override string? Name => name;

    public override bool IsActive => !HasTerminated;

    public override Exception? Exception => exception;

    public override string Status => IsActive ? $"Running on {last?.Silo}" : "Stopped";

    /// <summary>Follows a query already running on the cluster (started by another client or an earlier process).</summary>
    public async Task AttachAsync()
    {
        Observe(await grain.GetStatusAsync().ConfigureAwait(false));
        _ = Task.Run(PollAsync, CancellationToken.None);
    }

    /// <summary>Stops following the query; it keeps running on the cluster.</summary>
    public Task DetachAsync() => polling.CancelAsync();

    public override async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Observe(await grain.StartAsync(Definition ?? throw new InvalidOperationException("This handle attached to a running query; it has no definition to start")).ConfigureAwait(false));
        foreach (var listener in listeners)
        {
            listener.OnQueryStarted(this);
        }

        _ = Task.Run(PollAsync, CancellationToken.None);
    }

    public override async Task ProcessAllAvailableAsync(CancellationToken cancellationToken = default) =>
        Observe(await grain.ProcessAllAvailableAsync().ConfigureAwait(false));

    public override async Task StopAsync()
    {
        if (IsActive)
        {
            await grain.StopAsync().ConfigureAwait(false);
        }

        await polling.CancelAsync().ConfigureAwait(false);
        Terminate();
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        polling.Dispose();
    }

    private async Task PollAsync()
    {
        while (!polling.IsCancellationRequested && IsActive)
        {
            try
            {
                await Task.Delay(pollInterval, polling.Token).ConfigureAwait(false);
                Observe(await grain.GetStatusAsync().WaitAsync(StatusTimeout, polling.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A silo failing over: the next poll reactivates the grain on a live one.
            }
        }
    }

    private void Observe(QueryStatus status)
    {
        last = status;
        if (status.Id != Guid.Empty)
        {
            ids = (status.Id, status.RunId);
        }
        else if (ids == default && status.LastProgressJson is { } lastJson)
        {
            // A query that stopped before this handle saw it run (attached by name later): its last progress carries its ids.
            var stopped = StreamingQueryProgress.FromJson(JsonNode.Parse(lastJson)!);
            ids = (stopped.Id, stopped.RunId);
        }

        var newBatch = false;
        foreach (var json in status.RecentProgressJson)
        {
            var progress = StreamingQueryProgress.FromJson(JsonNode.Parse(json)!);
            if (!AddProgress(progress))
            {
                continue; // seen in an earlier poll
            }

            newBatch = true;
            foreach (var listener in listeners)
            {
                listener.OnQueryProgress(this, progress);
            }
        }

        ReportIdleness(status, newBatch);

        if (status.Error is not null)
        {
            exception ??= new InvalidOperationException(status.Error);
        }

        if (status.Terminated || (status.Id == Guid.Empty && !status.IsActive))
        {
            Terminate();
        }
    }

    /// <summary>Raises OnQueryIdle once per idle stretch: when a status shows the query waiting for data and no batch since the last poll.</summary>
    private void ReportIdleness(QueryStatus status, bool newBatch)
    {
        if (newBatch || !status.WaitingForData)
        {
            idleReported = false;
            return;
        }

        if (idleReported || !status.IsActive || status.Terminated)
        {
            return;
        }

        idleReported = true;
        foreach (var listener in listeners)
        {
            listener.OnQueryIdle(this);
        }
    }

    private void Terminate()
    {
        if (MarkTerminated())
        {
            foreach (var listener in listeners)
            {
                listener.OnQueryTerminated(this, exception);
            }
        }
    }
}
