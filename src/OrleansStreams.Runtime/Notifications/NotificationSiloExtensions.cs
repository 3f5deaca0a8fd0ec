using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>Silo wiring of file-notification mode: the stream provider over the storage queues and its services.</summary>
public static class NotificationSiloExtensions
{
    public static ISiloBuilder AddCloudFilesNotifications(this ISiloBuilder silo, NotificationOptions options, StorageOptions storage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PullingAgents, 1);
        silo.Services.AddSingleton(new NotificationQueues(options, storage));
        silo.Services.AddSingleton<NotificationRoutes>();
        return silo.AddPersistentStreams(NotificationStreams.ProviderName, BlobEventQueueAdapterFactory.Create, stream =>
        {
            // The discovery grains' implicit subscriptions are the only consumers: no pub-sub grain or its storage.
            stream.Configure<StreamPubSubOptions>(o => o.Configure(p => p.PubSubType = Orleans.Streams.StreamPubSubType.ImplicitOnly));
            stream.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = options.PollInterval));
        });
    }
}
