using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>One micro-batch's report, with the fields of Spark's StreamingQueryProgress.</summary>
public sealed record StreamingQueryProgress(
    Guid Id,
    Guid RunId,
    string? Name,
    DateTimeOffset Timestamp,
    long BatchId,
    long NumInputRows,
    double InputRowsPerSecond,
    double ProcessedRowsPerSecond,
    IReadOnlyDictionary<string, long> DurationMs,
    long? StateRowsTotal,
    long? StateRowsUpdated,
    string SourceDescription,
    string? StartOffset,
    string EndOffset,
    string SinkDescription,
    long? WatermarkMicros)
{
    /// <summary>The progress as Spark prints it (<c>query.lastProgress</c>).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id.ToString(),
            ["runId"] = RunId.ToString(),
            ["name"] = Name,
            ["timestamp"] = Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["batchId"] = BatchId,
            ["numInputRows"] = NumInputRows,
            ["inputRowsPerSecond"] = Math.Round(InputRowsPerSecond, 3),
            ["processedRowsPerSecond"] = Math.Round(ProcessedRowsPerSecond, 3),
            ["durationMs"] = new JsonObject(DurationMs.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
            ["stateOperators"] = StateRowsTotal is null ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["operatorName"] = "stateStoreSave",
                ["numRowsTotal"] = StateRowsTotal,
                ["numRowsUpdated"] = StateRowsUpdated,
            }),
            ["sources"] = new JsonArray(new JsonObject
            {
                ["description"] = SourceDescription,
                ["startOffset"] = StartOffset,
                ["endOffset"] = EndOffset,
                ["numInputRows"] = NumInputRows,
            }),
            ["sink"] = new JsonObject { ["description"] = SinkDescription },
        };
        if (WatermarkMicros is { } watermark)
        {
            json["eventTime"] = new JsonObject { ["watermark"] = DateTimeOffset.UnixEpoch.AddTicks(watermark * 10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) };
        }

        return json;
    }
}
