using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.Runtime.Grains;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Host.StreamsUi;

/// <summary>
/// The JSON of the streams API (<c>/streams/api/</c>): a summary per query for the list, and one query's details with
/// its recent progress in Spark's StreamingQueryProgress shape. Every string passes <see cref="SecretRedaction"/>.
/// </summary>
public static class StreamsApiJson
{
    public static JsonObject List(IEnumerable<ClusterQuery> queries) =>
        new() { ["queries"] = new JsonArray([.. queries.Select(q => (JsonNode)Summary(q))]) };

    /// <summary>What the list shows of a query: where and how it runs, and its last batch.</summary>
    public static JsonObject Summary(ClusterQuery query)
    {
        var last = query.Status.LastProgressJson is { } json ? JsonNode.Parse(json) : null;
        return (JsonObject)SecretRedaction.Redact(new JsonObject
        {
            ["name"] = query.Name,
            ["id"] = query.Status.Id.ToString(),
            ["runId"] = query.Status.RunId.ToString(),
            ["state"] = query.State,
            ["waitingForData"] = query.Running && query.Status.WaitingForData,
            ["silo"] = query.Running ? query.Status.Silo : null,
            ["trigger"] = query.Definition is { } d ? Trigger(d.Trigger) : null,
            ["outputMode"] = query.Definition?.OutputMode.ToString(),
            ["sink"] = query.Registration.Sink,
            ["startedAt"] = Time(query.Registration.StartedAt),
            ["stoppedAt"] = query.Registration.StoppedAt is { } stopped ? Time(stopped) : null,
            ["lastBatchId"] = last?["batchId"]?.DeepClone(),
            ["lastBatchTime"] = last?["timestamp"]?.DeepClone(),
            ["inputRowsPerSecond"] = last?["inputRowsPerSecond"]?.DeepClone(),
            ["processedRowsPerSecond"] = last?["processedRowsPerSecond"]?.DeepClone(),
            ["backlogFiles"] = Outstanding(last, StreamSourceMetrics.FilesOutstanding),
            ["backlogBytes"] = Outstanding(last, StreamSourceMetrics.BytesOutstanding),
            ["error"] = query.Error,
        })!;
    }

    /// <summary>One query: its summary, what it runs (plan, sink, checkpoint), its failure, and its recent batches oldest first.</summary>
    public static JsonObject Details(ClusterQuery query)
    {
        var details = Summary(query);
        var definition = query.Definition;
        details["checkpointLocation"] = SecretRedaction.Redact(query.Registration.CheckpointLocation);
        details["partitionBy"] = definition is null ? null : new JsonArray([.. definition.PartitionBy.Select(c => (JsonNode?)c)]);
        details["plan"] = definition is null ? null : SecretRedaction.Redact(JsonNode.Parse(definition.PlanJson));
        details["failure"] = query.Error is null ? null : new JsonObject
        {
            ["message"] = SecretRedaction.Redact(query.Error),
            ["stackTrace"] = SecretRedaction.Redact(query.Status.ErrorDetail),
        };
        var recent = query.Status.RecentProgressJson.Length > 0 ? query.Status.RecentProgressJson : query.Status.LastProgressJson is { } last ? [last] : [];
        details["recentProgress"] = new JsonArray([.. recent.Select(p => SecretRedaction.Redact(JsonNode.Parse(p)))]);
        return details;
    }

    /// <summary>The trigger as PySpark's <c>trigger(...)</c> argument reads: <c>processingTime=5 seconds</c>, <c>availableNow</c>.</summary>
    public static string Trigger(Trigger trigger) => TriggerJsonConverter.IntervalOf(trigger) is { } interval
        ? string.Create(CultureInfo.InvariantCulture, $"{TriggerJsonConverter.KindOf(trigger)}={interval.TotalSeconds:0.###} seconds")
        : TriggerJsonConverter.KindOf(trigger);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long? Outstanding(JsonNode? progress, string metric)
    {
        long? total = null;
        foreach (var source in progress?["sources"]?.AsArray() ?? [])
        {
            if (source?["metrics"]?[metric] is JsonValue value && value.TryGetValue<long>(out var figure))
            {
                total = (total ?? 0) + figure;
            }
        }

        return total;
    }
}
