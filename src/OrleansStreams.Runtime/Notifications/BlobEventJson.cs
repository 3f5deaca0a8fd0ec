using System.Globalization;
using System.Text.Json.Nodes;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>Which envelope Event Grid delivers events in.</summary>
public enum EventSchema
{
    EventGrid,
    CloudEvents,
}

/// <summary>
/// Writes a BlobCreated event as Event Grid delivers it: the Event Grid schema (topic, subject, eventType,
/// eventTime, id, data, dataVersion, metadataVersion) or CloudEvents 1.0 (source, subject, type, time, id,
/// data, specversion), with the storage event's data object.
/// </summary>
public static class BlobEventJson
{
    public static JsonObject Write(BlobCreatedEvent blob, EventSchema schema)
    {
        var location = StorageLocation.Parse(blob.Url);
        var subject = $"/blobServices/default/containers/{location.Container}/blobs/{location.Path}";
        var topic = blob.Topic ?? TopicOf(location.AccountName!);
        var time = blob.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        return schema == EventSchema.EventGrid
            ? new JsonObject
            {
                ["topic"] = topic,
                ["subject"] = subject,
                ["eventType"] = BlobCreatedEvent.EventType,
                ["eventTime"] = time,
                ["id"] = blob.Id,
                ["data"] = Data(blob),
                ["dataVersion"] = string.Empty,
                ["metadataVersion"] = "1",
            }
            : new JsonObject
            {
                ["source"] = topic,
                ["subject"] = subject,
                ["type"] = BlobCreatedEvent.EventType,
                ["time"] = time,
                ["id"] = blob.Id,
                ["data"] = Data(blob),
                ["specversion"] = "1.0",
            };
    }

    /// <summary>The resource id Azure puts in <c>topic</c>; the emulator uses an all-zero subscription and an "azurite" resource group.</summary>
    public static string TopicOf(string account, string subscription = "00000000-0000-0000-0000-000000000000", string resourceGroup = "azurite") =>
        $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{account}";

    private static JsonObject Data(BlobCreatedEvent blob) => new()
    {
        ["api"] = blob.Api,
        ["clientRequestId"] = Guid.NewGuid().ToString(),
        ["requestId"] = Guid.NewGuid().ToString(),
        ["eTag"] = blob.ETag,
        ["contentType"] = blob.ContentType ?? "application/octet-stream",
        ["contentLength"] = blob.ContentLength,
        ["blobType"] = blob.BlobType,
        ["url"] = blob.Url,
        ["sequencer"] = blob.Sequencer ?? blob.EventTime.UtcTicks.ToString("x32", CultureInfo.InvariantCulture),
        ["storageDiagnostics"] = new JsonObject { ["batchId"] = Guid.NewGuid().ToString() },
    };
}
