namespace OrleansStreams.Runtime.Notifications;

/// <summary>
/// A storage queue and how to reach it: a connection string, or the account's queue endpoint with
/// DefaultAzureCredential. Its text form never shows the connection string.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record QueueConnection
{
    [Id(0)] public required string QueueName { get; init; }

    [Id(1)] public string? ConnectionString { get; init; }

    /// <summary>The queue service endpoint (<c>https://account.queue.core.windows.net</c>) when there is no connection string.</summary>
    [Id(2)] public string? ServiceUri { get; init; }

    /// <summary>The queue's URL: the same queue reached with different credentials has one address.</summary>
    public string Address() => ConnectionString is { } connectionString
        ? new Azure.Storage.Queues.QueueClient(connectionString, QueueName).Uri.AbsoluteUri
        : $"{ServiceUri!.TrimEnd('/')}/{QueueName}";

    /// <summary>The same account's queue holding the messages this one could not use.</summary>
    public QueueConnection Poison(string suffix) => this with { QueueName = QueueName + suffix };

    public override string ToString() => ServiceUri is null ? $"queue {QueueName}" : $"queue {QueueName} at {ServiceUri}";
}
