namespace OrleansStreams.Runtime.Grains;

/// <summary>A query as the registry knows it: its name, its checkpoint (the query grain's key) and whether it runs.</summary>
[GenerateSerializer]
[Immutable]
public sealed record QueryRegistration
{
    [Id(0)] public string? Name { get; init; }

    [Id(1)] public required string CheckpointLocation { get; init; }

    /// <summary>The table name or Delta location the query writes.</summary>
    [Id(2)] public required string Sink { get; init; }

    [Id(3)] public DateTimeOffset StartedAt { get; init; }

    [Id(4)] public bool Running { get; init; }

    [Id(5)] public DateTimeOffset? StoppedAt { get; init; }

    [Id(6)] public string? Error { get; init; }
}
