using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>What one queue message or webhook request held.</summary>
public sealed record ParsedEvents
{
    public IReadOnlyList<BlobCreatedEvent> Created { get; init; } = [];

    /// <summary>Events of other types ("type id"), which ingestion does not use.</summary>
    public IReadOnlyList<string> Foreign { get; init; } = [];

    /// <summary>Event Grid's subscription-validation handshakes (webhook delivery only).</summary>
    public IReadOnlyList<SubscriptionValidationEventData> Validations { get; init; } = [];

    /// <summary>Why the content is not Event Grid events at all; null when it parsed.</summary>
    public string? Error { get; init; }

    public static ParsedEvents Invalid(string error) => new() { Error = error };
}

/// <summary>
/// Reads Event Grid deliveries: the Event Grid schema or CloudEvents 1.0, one event or an array, as plain
/// JSON or base64 (queue messages). Storage events are read with Azure.Messaging.EventGrid's system event types.
/// </summary>
public static class BlobEventParser
{
    /// <summary>A storage-queue message's text: JSON, or base64 of JSON.</summary>
    public static ParsedEvents ParseQueueMessage(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] is not ('{' or '['))
        {
            var bytes = new byte[trimmed.Length];
            if (!Convert.TryFromBase64Chars(trimmed, bytes, out var length) || !StartsLikeJson(bytes.AsSpan(0, length)))
            {
                return ParsedEvents.Invalid("the message is neither JSON nor base64-encoded JSON");
            }

            return Parse(BinaryData.FromBytes(bytes.AsMemory(0, length)));
        }

        return Parse(BinaryData.FromString(text));
    }

    private static bool StartsLikeJson(ReadOnlySpan<byte> utf8)
    {
        var text = utf8.TrimStart(" \t\r\n"u8);
        return text.Length > 0 && text[0] is (byte)'{' or (byte)'[';
    }

    /// <summary>JSON events (a webhook request's body, or a decoded queue message).</summary>
    public static ParsedEvents Parse(BinaryData json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return ParsedEvents.Invalid($"not JSON: {e.Message}");
        }

        var first = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().FirstOrDefault() : root;
        if (first.ValueKind != JsonValueKind.Object)
        {
            return ParsedEvents.Invalid(root.ValueKind == JsonValueKind.Array ? "an empty or non-object event array" : $"a JSON {root.ValueKind}, not an event");
        }

        try
        {
            return first.TryGetProperty("specversion", out _) ? FromCloudEvents(CloudEvent.ParseMany(json)) : FromEventGrid(EventGridEvent.ParseMany(json));
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            return ParsedEvents.Invalid($"not Event Grid or CloudEvents 1.0 events: {e.Message}");
        }
    }

    private static ParsedEvents FromEventGrid(EventGridEvent[] events)
    {
        var created = new List<BlobCreatedEvent>();
        var foreign = new List<string>();
        var validations = new List<SubscriptionValidationEventData>();
        foreach (var e in events)
        {
            e.TryGetSystemEventData(out var data);
            Classify(e.EventType, e.Id, e.Topic, e.EventTime, data, created, foreign, validations);
        }

        return new ParsedEvents { Created = created, Foreign = foreign, Validations = validations };
    }

    private static ParsedEvents FromCloudEvents(CloudEvent[] events)
    {
        var created = new List<BlobCreatedEvent>();
        var foreign = new List<string>();
        var validations = new List<SubscriptionValidationEventData>();
        foreach (var e in events)
        {
            object? data = null;
            if (e.DataContentType is null or "application/json" && e.Data is not null)
            {
                e.TryGetSystemEventData(out data);
            }

            Classify(e.Type, e.Id, e.Source, e.Time ?? DateTimeOffset.UtcNow, data, created, foreign, validations);
        }

        return new ParsedEvents { Created = created, Foreign = foreign, Validations = validations };
    }

    private static void Classify(
        string type, string id, string? topic, DateTimeOffset time, object? data,
        List<BlobCreatedEvent> created, List<string> foreign, List<SubscriptionValidationEventData> validations)
    {
        switch (data)
        {
            case StorageBlobCreatedEventData blob when type == BlobCreatedEvent.EventType && !string.IsNullOrEmpty(blob.Url):
                created.Add(new BlobCreatedEvent
                {
                    Id = id,
                    Url = blob.Url,
                    ContentLength = blob.ContentLength ?? 0,
                    EventTime = time,
                    Api = blob.Api ?? "PutBlob",
                    ETag = blob.ETag,
                    ContentType = blob.ContentType,
                    BlobType = blob.BlobType ?? "BlockBlob",
                    Sequencer = blob.Sequencer,
                    Topic = topic,
                });
                break;
            case SubscriptionValidationEventData validation:
                validations.Add(validation);
                break;
            default:
                foreign.Add(data is StorageBlobCreatedEventData ? $"{type} {id} (no data.url)" : $"{type} {id}");
                break;
        }
    }

    /// <summary>A short, printable excerpt of a message for logs.</summary>
    public static string Excerpt(string text, int max = 200)
    {
        var flat = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, max)))
        {
            flat.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.Length > max ? flat.Append('…').ToString() : flat.ToString();
    }
}
