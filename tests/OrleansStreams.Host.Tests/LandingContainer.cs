using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>
/// An Azurite container that JSON-lines files land in, uploaded with the plain Azure SDK as any producer would,
/// and the BlobCreated event Event Grid would announce each with.
/// </summary>
internal sealed class LandingContainer
{
    public const string Schema = "id INT, file STRING";

    private readonly BlobContainerClient container;

    public LandingContainer(AzuriteFixture azurite, string name)
    {
        Name = name;
        container = new BlobContainerClient(azurite.ConnectionString, name);
        container.CreateIfNotExists();
    }

    public string Name { get; }

    /// <summary>The <c>in</c> folder as a query's source path.</summary>
    public string SourcePath => $"wasbs://{Name}@{AzuriteFixture.AccountName}.blob.core.windows.net/in";

    /// <summary>Uploads file <paramref name="index"/> with ids <c>index × rows …</c> and returns its BlobCreated event.</summary>
    public async Task<BlobCreatedEvent> UploadAsync(int index, int rows)
    {
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"id\":{(index * rows) + i},\"file\":\"f{index}\"}}\n");
        }

        var blob = container.GetBlobClient(string.Create(CultureInfo.InvariantCulture, $"in/part-{index:D4}.json"));
        var uploaded = (await blob.UploadAsync(BinaryData.FromString(text.ToString()), overwrite: true)).Value;
        return new BlobCreatedEvent
        {
            Id = Guid.NewGuid().ToString(),
            Url = blob.Uri.AbsoluteUri,
            ContentLength = Encoding.UTF8.GetByteCount(text.ToString()),
            EventTime = uploaded.LastModified,
            ETag = uploaded.ETag.ToString(),
            ContentType = "application/json",
        };
    }
}
