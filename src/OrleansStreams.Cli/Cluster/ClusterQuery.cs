using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.Client;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Cli.Cluster;

/// <summary>A query the cluster's registry knows, with what its grain reports now: where it runs and its last progress.</summary>
internal sealed record ClusterQuery(QueryRegistration Registration, QueryStatus Status)
{
    public string Name => Registration.Name ?? Registration.CheckpointLocation;

    public bool Running => Status.IsActive;

    public string? Error => Status.Error ?? Registration.Error;

    public string State => Running ? "running" : Error is not null ? "failed" : "stopped";

    public StreamingQueryProgress? LastProgress =>
        Status.LastProgressJson is { } json ? StreamingQueryProgress.FromJson(JsonNode.Parse(json)!) : null;

    /// <summary>Every registered query, the running ones first, each with its grain's status.</summary>
    public static async Task<IReadOnlyList<ClusterQuery>> ListAsync(StreamingSession session)
    {
        var registrations = await session.ListClusterQueriesAsync();
        var statuses = await Task.WhenAll(registrations.Select(r => session.GetClusterQueryStatusAsync(r.CheckpointLocation)));
        return registrations.Zip(statuses, (r, s) => new ClusterQuery(r, s)).OrderByDescending(q => q.Running).ThenBy(q => q.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One object per query, the last progress in Spark's shape.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Registration.Name,
        ["state"] = State,
        ["running"] = Running,
        ["sink"] = Registration.Sink,
        ["checkpointLocation"] = Registration.CheckpointLocation,
        ["startedAt"] = Registration.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["stoppedAt"] = Registration.StoppedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["silo"] = Running ? Status.Silo : null,
        ["error"] = Error,
        ["lastProgress"] = Status.LastProgressJson is { } json ? JsonNode.Parse(json) : null,
    };
}
