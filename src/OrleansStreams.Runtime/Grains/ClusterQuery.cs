using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// A query the cluster's registry knows, with what its grain reports now: where it runs, its recent progress and
/// what it runs. The CLI's <c>queries</c>/<c>status</c> commands and the streams UI read the cluster through it.
/// </summary>
public sealed record ClusterQuery(QueryRegistration Registration, QueryStatus Status, QueryDefinition? Definition)
{
    public string Name => Registration.Name ?? Registration.CheckpointLocation;

    public bool Running => Status.IsActive;

    public string? Error => Status.Error ?? Registration.Error;

    public string State => Running ? "running" : Error is not null ? "failed" : "stopped";

    public StreamingQueryProgress? LastProgress =>
        Status.LastProgressJson is { } json ? StreamingQueryProgress.FromJson(JsonNode.Parse(json)!) : null;

    /// <summary>Every registered query, the running ones first, each with its grain's status and definition.</summary>
    public static async Task<IReadOnlyList<ClusterQuery>> ListAsync(IGrainFactory grains)
    {
        var registrations = await grains.GetGrain<IQueryRegistryGrain>(IQueryRegistryGrain.Key).ListAsync().ConfigureAwait(false);
        var queries = await Task.WhenAll(registrations.Select(async r =>
        {
            var grain = grains.GetGrain<IStreamingQueryGrain>(r.CheckpointLocation);
            var status = grain.GetStatusAsync();
            var definition = grain.GetDefinitionAsync();
            return new ClusterQuery(r, await status.ConfigureAwait(false), await definition.ConfigureAwait(false));
        })).ConfigureAwait(false);
        return queries.OrderByDescending(q => q.Running).ThenBy(q => q.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The query named <paramref name="name"/>: the running one, else the one last started under the name (the
    /// registry's choice when re-attaching by name); a query without a name goes by its checkpoint location.
    /// </summary>
    public static ClusterQuery? Find(IEnumerable<ClusterQuery> known, string name) =>
        known.Where(q => q.Name == name).OrderByDescending(q => q.Running).ThenByDescending(q => q.Registration.StartedAt).FirstOrDefault();

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
