namespace OrleansStreams.Runtime.Notifications;

/// <summary>A source's file-notification settings (<c>cloudFiles.queueName</c>, <c>connectionString</c>, <c>backfillInterval</c>).</summary>
[GenerateSerializer]
[Immutable]
public sealed record NotificationSpec
{
    [Id(0)] public required string QueueName { get; init; }

    /// <summary>The queue's account; null for the silo's connection string of the source's account or DefaultAzureCredential.</summary>
    [Id(1)] public string? ConnectionString { get; init; }

    /// <summary>How often the folder is also listed to catch files whose events were lost; null for the first listing only.</summary>
    [Id(2)] public TimeSpan? BackfillInterval { get; init; }

    public override string ToString() => $"queue {QueueName}{(BackfillInterval is { } interval ? $", backfill every {interval}" : "")}";
}
