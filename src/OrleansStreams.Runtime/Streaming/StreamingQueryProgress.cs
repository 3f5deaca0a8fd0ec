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
    IReadOnlyList<SourceProgress> Sources,
    string SinkDescription,
    long? WatermarkMicros)
{
    /// <summary>Reads back what <see cref="ToJson"/> wrote (progress reported by a query grain).</summary>
    public static StreamingQueryProgress FromJson(JsonNode json)
    {
        var state = json["stateOperators"]!.AsArray().FirstOrDefault();
        return new StreamingQueryProgress(
            Guid.Parse(json["id"]!.GetValue<string>()),
            Guid.Parse(json["runId"]!.GetValue<string>()),
            json["name"]?.GetValue<string>(),
            DateTimeOffset.Parse(json["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            json["batchId"]!.GetValue<long>(),
            json["numInputRows"]!.GetValue<long>(),
            json["inputRowsPerSecond"]!.GetValue<double>(),
            json["processedRowsPerSecond"]!.GetValue<double>(),
            json["durationMs"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>()),
            state?["numRowsTotal"]?.GetValue<long>(),
            state?["numRowsUpdated"]?.GetValue<long>(),
            [.. json["sources"]!.AsArray().Select(s => new SourceProgress(
                s!["description"]!.GetValue<string>(), s["startOffset"]?.GetValue<string>(), s["endOffset"]?.GetValue<string>(), s["numInputRows"]!.GetValue<long>()))],
            json["sink"]!["description"]!.GetValue<string>(),
            null);
    }

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
            ["sources"] = new JsonArray([.. Sources.Select(s => (JsonNode)new JsonObject
            {
                ["description"] = s.Description,
                ["startOffset"] = s.StartOffset,
                ["endOffset"] = s.EndOffset,
                ["numInputRows"] = s.NumInputRows,
            })]),
            ["sink"] = new JsonObject { ["description"] = SinkDescription },
        };
        if (WatermarkMicros is { } watermark)
        {
            json["eventTime"] = new JsonObject { ["watermark"] = DateTimeOffset.UnixEpoch.AddTicks(watermark * 10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) };
        }

        return json;
    }
}

/// <summary>One source's part of a batch (Spark's <c>sources[]</c> entry).</summary>
public sealed record SourceProgress(string Description, string? StartOffset, string? EndOffset, long NumInputRows);
