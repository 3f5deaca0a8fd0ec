using Microsoft.Extensions.Logging;
using OrleansStreams.Runtime.Grains;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// When the silo becomes active, activates the grain of every query the registry lists as running, which resumes it.
/// After the whole cluster was stopped this brings queries back as soon as a silo is up, instead of at their resume
/// reminder's next tick. It runs beside the silo's startup, not in it: a slow registry never holds the silo back, and
/// a failed attempt is retried until the silo stops (the reminders resume the queries anyway).
/// </summary>
public sealed partial class RunningQueriesResumer(IGrainFactory grains, ILogger<RunningQueriesResumer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private const int Attempts = 10;

    private readonly CancellationTokenSource stopping = new();
    private Task resuming = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RunningQueriesResumer), ServiceLifecycleStage.Active, OnActiveAsync, OnStoppingAsync);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        resuming = Task.Run(() => ResumeAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStoppingAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await resuming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var running = (await grains.GetGrain<IQueryRegistryGrain>(IQueryRegistryGrain.Key).ListAsync().ConfigureAwait(false)).Where(q => q.Running).ToList();
                foreach (var query in running)
                {
                    // The call is only there to activate the grain: its activation resumes the query.
                    await grains.GetGrain<IStreamingQueryGrain>(query.CheckpointLocation).GetStatusAsync().ConfigureAwait(false);
                }

                LogResumed(running.Count);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogRetry(e, attempt);
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked the {Count} running queries of the registry: their grains are active")]
    private partial void LogResumed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not resume the registry's running queries (attempt {Attempt}); trying again")]
    private partial void LogRetry(Exception e, int attempt);
}
