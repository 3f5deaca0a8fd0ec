namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// What a query grain reports: whether it runs, its last batch, its error if it failed, and whether its last
/// trigger found no new data (it is waiting for data to arrive).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record QueryStatus(
    [property: Id(0)] Guid Id,
    [property: Id(1)] bool IsActive,
    [property: Id(2)] long LastBatchId,
    [property: Id(3)] long TotalInputRows,
    [property: Id(4)] string? Error,
    [property: Id(5)] string? LastProgressJson,
    [property: Id(6)] string Silo,
    [property: Id(7)] Guid RunId,
    [property: Id(8)] string[] RecentProgressJson,
    [property: Id(9)] bool Terminated,
    [property: Id(10)] bool WaitingForData)
{
    /// <summary>The failure's exception with its stack trace (<see cref="Error"/> is its one-line form).</summary>
    [Id(11)] public string? ErrorDetail { get; init; }
}
