using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>The discovery grain of one source (keyed by its checkpoint folder): it owns the source's file log.</summary>
public interface IFileDiscoveryGrain : IGrainWithStringKey
{
    Task<int> DiscoverAsync(DiscoverySpec spec);

    Task<long> BaselineAsync(DiscoverySpec spec);

    Task<long> LastSequenceAsync(DiscoverySpec spec);

    Task<IReadOnlyList<DiscoveredFile>> RangeAsync(DiscoverySpec spec, long after, long upTo, int? maxFiles);

    Task<long> BytesAsync(DiscoverySpec spec, long after, long upTo);
}

/// <summary>
/// Keeps the file log in memory between calls (loaded from the checkpoint on activation), so planning a
/// batch does not re-read it; the log's durable form is its segments in the checkpoint. In notification
/// mode it registers its source for the queue's events and consumes its discovery stream: each delivery
/// returns only once the files are in a written segment, which is when the queue messages may go.
/// </summary>
[ImplicitStreamSubscription(NotificationStreams.DiscoveryNamespace)]
public sealed partial class FileDiscoveryGrain(OrleansStreamsEnvironment environment, IServiceProvider services, ILogger<FileDiscoveryGrain> logger)
    : Grain, IFileDiscoveryGrain, IStreamSubscriptionObserver
{
    private IFileDiscovery? discovery;
    private DiscoverySpec? current;
    private bool registered;

    public async Task<int> DiscoverAsync(DiscoverySpec spec)
    {
        var source = For(spec);
        if (spec.Notifications is not null && !registered)
        {
            await RegisterAsync(spec);
            registered = true;
        }

        return await source.DiscoverAsync(CancellationToken.None);
    }

    public Task<long> BaselineAsync(DiscoverySpec spec) => For(spec).BaselineAsync(CancellationToken.None);

    public Task<long> LastSequenceAsync(DiscoverySpec spec) => For(spec).LastSequenceAsync(CancellationToken.None);

    public Task<IReadOnlyList<DiscoveredFile>> RangeAsync(DiscoverySpec spec, long after, long upTo, int? maxFiles) =>
        For(spec).RangeAsync(after, upTo, maxFiles, CancellationToken.None);

    public Task<long> BytesAsync(DiscoverySpec spec, long after, long upTo) => For(spec).BytesAsync(after, upTo, CancellationToken.None);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<NotifiedFiles>().ResumeAsync((files, _) => OnNotifiedAsync(files));

    private async Task OnNotifiedAsync(NotifiedFiles notified)
    {
        // The query's own spec wins over the registry's copy, which may lag behind a restart with new options.
        var source = current?.Notifications is not null ? For(current) : For(notified.Source);
        if (source is not NotifiedDiscovery events)
        {
            LogNotInNotificationMode(this.GetPrimaryKeyString(), notified.Files.Count);
            return;
        }

        var logging = Stopwatch.GetTimestamp();
        var added = await events.AddAsync(notified.Files, CancellationToken.None);
        NotificationMetrics.RecordStage("log", logging);
        LogNotified(notified.Files.Count, added, current!.Folder);
    }

    private IFileDiscovery For(DiscoverySpec spec)
    {
        if (discovery is null || current != spec)
        {
            QueryLocations.DemandAllowed(environment.AllowedRoots, "source", spec.Folder);
            QueryLocations.DemandAllowed(environment.AllowedRoots, "checkpoint", spec.CheckpointFolder);
            var listing = new FileDiscovery(spec, environment.Stores);
            discovery = spec.Notifications is null ? listing : new NotifiedDiscovery(spec, listing, environment.Stores.Create(spec.CheckpointFolder), logger);
            current = spec;
            registered = false;
        }

        return discovery;
    }

    private Task RegisterAsync(DiscoverySpec spec)
    {
        var queues = services.GetService<NotificationQueues>() ?? throw new InvalidOperationException(
            $"cloudFiles.useNotifications on {spec.Folder} needs the notification stream provider on the silo (OrleansStreamsSiloOptions.Notifications)");
        return GrainFactory.GetGrain<INotificationRegistryGrain>(0).RegisterAsync(new NotificationSubscription { Source = spec, Queue = queues.Resolve(spec) });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} notified files, {Added} new, logged for {Folder}")]
    private partial void LogNotified(int count, int added, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} notified files for the source of {Checkpoint} ignored: that source now lists its folder instead of using notifications")]
    private partial void LogNotInNotificationMode(string checkpoint, int count);
}

/// <summary>A source's discovery through its grain.</summary>
public sealed class GrainFileDiscovery(IGrainFactory grains, DiscoverySpec spec) : IFileDiscovery
{
    private readonly IFileDiscoveryGrain grain = grains.GetGrain<IFileDiscoveryGrain>(spec.CheckpointFolder);

    public Task<int> DiscoverAsync(CancellationToken cancellationToken) => grain.DiscoverAsync(spec).WaitAsync(cancellationToken);

    public Task<long> BaselineAsync(CancellationToken cancellationToken) => grain.BaselineAsync(spec).WaitAsync(cancellationToken);

    public Task<long> LastSequenceAsync(CancellationToken cancellationToken) => grain.LastSequenceAsync(spec).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<DiscoveredFile>> RangeAsync(long after, long upTo, int? maxFiles, CancellationToken cancellationToken) =>
        grain.RangeAsync(spec, after, upTo, maxFiles).WaitAsync(cancellationToken);

    public Task<long> BytesAsync(long after, long upTo, CancellationToken cancellationToken) => grain.BytesAsync(spec, after, upTo).WaitAsync(cancellationToken);
}
