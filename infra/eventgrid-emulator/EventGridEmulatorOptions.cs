using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Emulators;

/// <summary>What the Event Grid emulator watches and where it delivers.</summary>
public sealed record EventGridEmulatorOptions
{
    /// <summary>The storage account (Azurite's connection string, with its Blob and Queue endpoints).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The queue the events go to (created if missing), like an Event Grid subscription's storage-queue endpoint.</summary>
    public required string QueueName { get; init; }

    /// <summary>The containers to watch; empty for every container of the account but the emulator's own.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];

    public EventSchema Schema { get; init; } = EventSchema.EventGrid;

    /// <summary>Base64-encode the messages (as Event Grid's storage-queue delivery does); false writes plain JSON.</summary>
    public bool Base64 { get; init; } = true;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// On the very first start, also announce the blobs already there. By default they are taken as existing
    /// before the subscription, which Event Grid does not announce either.
    /// </summary>
    public bool PublishExisting { get; init; }

    /// <summary>The container where the emulator remembers which blob versions it announced (one object per queue).</summary>
    public string StateContainer { get; init; } = "eventgrid-emulator";
}
