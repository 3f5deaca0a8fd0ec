using System.Diagnostics;
using System.Text;
using Azure.Storage.Blobs;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Bench;

/// <summary>The notification benches' input: one-line JSON blobs <c>in/NNN/f-NNNNNN.json</c> holding <c>{"id":i}</c>.</summary>
internal static class LandingBlobs
{
    /// <summary>
    /// Uploads <paramref name="files"/> blobs, <paramref name="concurrency"/> at a time, and returns for each the
    /// BlobCreated queue message Event Grid would send (Event Grid schema, base64, as the project's emulator
    /// writes it), with how long the uploads took.
    /// </summary>
    public static async Task<(string[] Messages, double Seconds)> UploadAsync(BlobContainerClient container, int files, int concurrency)
    {
        var watch = Stopwatch.StartNew();
        var messages = new string[files];
        await Parallel.ForEachAsync(Enumerable.Range(0, files), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, cancellationToken) =>
        {
            var blob = container.GetBlobClient($"in/{i / 1000:D3}/f-{i:D6}.json");
            var content = Encoding.UTF8.GetBytes($"{{\"id\":{i}}}\n");
            var uploaded = (await blob.UploadAsync(new BinaryData(content), cancellationToken)).Value;
            var created = new BlobCreatedEvent
            {
                Id = Guid.NewGuid().ToString(),
                Url = blob.Uri.AbsoluteUri,
                ContentLength = content.Length,
                EventTime = uploaded.LastModified,
                ETag = uploaded.ETag.ToString(),
                ContentType = "application/octet-stream",
                Topic = BlobEventJson.TopicOf(AzuriteFixture.AccountName),
            };
            messages[i] = Convert.ToBase64String(Encoding.UTF8.GetBytes(BlobEventJson.Write(created, EventSchema.EventGrid).ToJsonString()));
        });
        return (messages, watch.Elapsed.TotalSeconds);
    }
}
