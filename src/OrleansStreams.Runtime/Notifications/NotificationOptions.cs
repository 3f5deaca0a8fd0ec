namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// The silo's notification stream provider: how many pulling agents share the queues (Orleans balances them
/// over the silos), how often and how they read, and where poisoned messages go.
/// </summary>
public sealed record NotificationOptions
{
    /// <summary>An embedded silo's provider: one pulling agent reads every queue of the process's queries.</summary>
    public static NotificationOptions Embedded { get; } = new() { PullingAgents = 1 };

    /// <summary>Pulling agents in the whole cluster; every agent reads every registered queue (competing consumers).</summary>
    public int PullingAgents { get; init; } = 8;

    /// <summary>How often an agent asks its queues for messages.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Messages an agent takes from a queue at a time (at most 32, the service's limit); fewer spread a burst over more agents.</summary>
    public int MessagesPerReceive { get; init; } = 32;

    /// <summary>How long a received message stays invisible; one not deleted by then (its silo died) is delivered again.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Messages an agent holds received but not yet deleted; while it holds this many it takes no more, so a
    /// queue's backlog stays on the queue instead of in the silo's memory, and what an agent takes is delivered
    /// well within the visibility timeout (no redelivery storm).
    /// </summary>
    public int MaxHeldMessages { get; init; } = 256;

    /// <summary>A message received more often than this without being acknowledged goes to the poison queue.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>The poison queue of queue <c>q</c> is <c>q</c> + this suffix, in the same account.</summary>
    public string PoisonQueueSuffix { get; init; } = "-poison";

    /// <summary>How often agents look for sources registered or changed elsewhere in the cluster.</summary>
    public TimeSpan RouteRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The account of queues named without one (the provider's own messages, e.g. from the webhook); by
    /// default the silo's storage connection string.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The queues' service; null is Azure Storage (or Azurite). <see cref="InMemoryNotificationQueues"/> serves benches and tests.</summary>
    public INotificationQueueService? QueueService { get; init; }

    /// <summary>That account's queue endpoint for DefaultAzureCredential, when there is no connection string.</summary>
    public Uri? QueueServiceUri { get; init; }
}
