using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// The notification stream provider's factory: a fixed ring of <see cref="NotificationOptions.PullingAgents"/>
/// queue ids (the unit Orleans balances over the silos), each pulled by an agent reading every registered
/// queue, an in-memory cache, and no failure handler (a message that keeps failing ends in the poison queue).
/// </summary>
public sealed class BlobEventQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly BlobEventQueueAdapter adapter;
    private readonly HashRingBasedStreamQueueMapper mapper;
    private readonly SimpleQueueAdapterCache cache;

    public BlobEventQueueAdapterFactory(string name, NotificationQueues queues, NotificationRoutes routes, ILoggerFactory loggers)
    {
        adapter = new BlobEventQueueAdapter(name, queues, routes, loggers);
        mapper = QueueMapper(name, queues.Options.PullingAgents);
        cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions(), name, loggers);
    }

    /// <summary>
    /// The provider's ring of queue ids: a stream goes to the queue whose range holds its StreamId's uniform hash
    /// (Orleans' stable hash of the namespace and key), so every silo and every restart maps a stream alike.
    /// </summary>
    public static HashRingBasedStreamQueueMapper QueueMapper(string name, int pullingAgents) =>
        new(new HashRingStreamQueueMapperOptions { TotalQueueCount = pullingAgents }, name);

    public static IQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new BlobEventQueueAdapterFactory(name, services.GetRequiredService<NotificationQueues>(), services.GetRequiredService<NotificationRoutes>(), services.GetRequiredService<ILoggerFactory>());

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(adapter);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(adapter);

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());
}
