using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>A notification-mode source and the queue its events arrive on.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NotificationSubscription
{
    [Id(0)] public required DiscoverySpec Source { get; init; }

    [Id(1)] public required QueueConnection Queue { get; init; }
}

/// <summary>Every registered subscription, at a version that changes whenever one is added or changed.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NotificationSubscriptions(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<NotificationSubscription> Subscriptions);
