namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// Fires as soon as the silo starts shutting down (it leaves the Active stage, before grains are deactivated),
/// so query grains stop starting batches and the running one finishes or is abandoned within its grace period,
/// instead of a trigger loop running on until the deactivation times out.
/// </summary>
public sealed class SiloShutdownSignal : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    public CancellationToken Stopping => stopping.Token;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloShutdownSignal), ServiceLifecycleStage.Active, _ => Task.CompletedTask, _ => stopping.CancelAsync());

    public void Dispose() => stopping.Dispose();
}
