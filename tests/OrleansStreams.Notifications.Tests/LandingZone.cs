using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>
/// A container on Azurite that JSON-lines files land in, the queue their events go to, and the events
/// themselves — written as Event Grid writes them (either schema, plain or base64), however often a test wants.
/// </summary>
public sealed class LandingZone
{
    public const string Schema = "id INT, file STRING";

    private readonly BlobContainerClient container;

    public LandingZone(AzuriteFixture azurite, string name)
    {
        Name = name;
        container = new BlobContainerClient(azurite.ConnectionString, name);
        container.CreateIfNotExists();
        Queue = new QueueClient(azurite.ConnectionString, $"{name}-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        Queue.CreateIfNotExists();
        Poison = new QueueClient(azurite.ConnectionString, $"{name}-events-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
    }

    public string Name { get; }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    /// <summary>The source path of the zone's <c>in</c> folder, as a query names it.</summary>
    public string SourcePath => $"wasbs://{Name}@{AzuriteFixture.AccountName}.blob.core.windows.net/in";

    public BlobContainerClient Container => container;

    /// <summary>Uploads file <paramref name="index"/> of <paramref name="rows"/> rows (ids index × rows …) and returns its BlobCreated event.</summary>
    public async Task<BlobCreatedEvent> UploadAsync(int index, int rows, string folder = "in")
    {
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"id\":{(index * rows) + i},\"file\":\"f{index}\"}}\n");
        }

        var blob = container.GetBlobClient($"{folder}/part-{index:D4}.json");
        var uploaded = (await blob.UploadAsync(BinaryData.FromString(text.ToString()), overwrite: true)).Value;
        var properties = (await blob.GetPropertiesAsync()).Value;
        return new BlobCreatedEvent
        {
            Id = Guid.NewGuid().ToString(),
            Url = blob.Uri.AbsoluteUri,
            ContentLength = properties.ContentLength,
            EventTime = uploaded.LastModified,
            Api = "PutBlob",
            ETag = uploaded.ETag.ToString(),
            ContentType = "application/json",
        };
    }

    /// <summary>Sends one queue message with the event, in the given schema, base64-encoded or not.</summary>
    public Task SendAsync(BlobCreatedEvent blob, EventSchema schema, bool base64)
    {
        var json = BlobEventJson.Write(blob, schema).ToJsonString();
        return Queue.SendMessageAsync(base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json);
    }

    public Task SendRawAsync(string text) => Queue.SendMessageAsync(text);

    /// <summary>Messages still on the queue (visible or not).</summary>
    public async Task<int> QueuedAsync() => (await Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public static JsonNode Parse(string text) => JsonNode.Parse(text)!;
}
