using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Emulators;

/// <summary>
/// Event Grid's storage-queue delivery for Azurite, which emits no events itself: it lists the watched
/// containers and, for every blob version (name and ETag) not announced before, sends the BlobCreated event
/// Azure would send — same JSON, Event Grid or CloudEvents schema, one event per message — to the queue.
/// Blobs written by any client (CLI, SDK, azcopy) are seen. What was announced is kept in the account, so a
/// restarted emulator goes on where it stopped; like Event Grid it delivers at least once.
/// </summary>
public sealed partial class EventGridEmulator
{
    private readonly EventGridEmulatorOptions options;
    private readonly BlobServiceClient blobs;
    private readonly QueueClient queue;
    private readonly BlobClient stateBlob;
    private readonly ILogger logger;
    private Dictionary<string, Dictionary<string, string>> announced = new(StringComparer.Ordinal);

    private EventGridEmulator(EventGridEmulatorOptions options, ILogger logger)
    {
        this.options = options;
        this.logger = logger;
        blobs = new BlobServiceClient(options.ConnectionString);
        queue = new QueueClient(options.ConnectionString, options.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        stateBlob = blobs.GetBlobContainerClient(options.StateContainer).GetBlobClient($"{options.QueueName}.json");
    }

    /// <summary>Runs until cancelled, polling every <see cref="EventGridEmulatorOptions.PollInterval"/>.</summary>
    public static async Task RunAsync(EventGridEmulatorOptions options, CancellationToken cancellationToken, ILogger? logger = null)
    {
        var emulator = await StartAsync(options, cancellationToken, logger).ConfigureAwait(false);
        emulator.LogStarted(options.QueueName, options.Containers.Count == 0 ? "every container" : string.Join(", ", options.Containers), options.Schema);
        try
        {
            while (true)
            {
                await emulator.PollAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Creates the queue and reads what was announced before (or, on a first start, takes the blobs present as existing).</summary>
    public static async Task<EventGridEmulator> StartAsync(EventGridEmulatorOptions options, CancellationToken cancellationToken, ILogger? logger = null)
    {
        var emulator = new EventGridEmulator(options, logger ?? NullLogger.Instance);
        await emulator.queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await emulator.blobs.GetBlobContainerClient(options.StateContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (await emulator.stateBlob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = (await emulator.stateBlob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            emulator.announced = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(state) ?? [];
        }
        else if (!options.PublishExisting)
        {
            emulator.announced = await emulator.ListAsync(cancellationToken).ConfigureAwait(false);
            await emulator.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        return emulator;
    }

    /// <summary>Announces the blob versions that appeared since the last poll; returns how many.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var present = await ListAsync(cancellationToken).ConfigureAwait(false);
        var sent = 0;
        foreach (var (container, names) in present)
        {
            var known = announced.GetValueOrDefault(container);
            foreach (var (name, etag) in names)
            {
                if (known is not null && known.TryGetValue(name, out var seen) && seen == etag)
                {
                    continue;
                }

                await PublishAsync(container, name, cancellationToken).ConfigureAwait(false);
                sent++;
            }
        }

        // Deleted blobs are forgotten, so one written again under the same name is announced again.
        var changed = sent > 0 || present.Count != announced.Count || present.Any(p => !announced.TryGetValue(p.Key, out var a) || a.Count != p.Value.Count);
        announced = present;
        if (changed)
        {
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        return sent;
    }

    private async Task PublishAsync(string container, string name, CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobContainerClient(container).GetBlobClient(name);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return; // deleted since the listing: Event Grid would have sent BlobCreated, but no reader could use it now
        }

        var created = new BlobCreatedEvent
        {
            Id = Guid.NewGuid().ToString(),
            Url = blob.Uri.AbsoluteUri,
            ContentLength = properties.ContentLength,
            EventTime = properties.LastModified,
            Api = "PutBlob",
            ETag = properties.ETag.ToString(),
            ContentType = properties.ContentType,
            BlobType = properties.BlobType switch
            {
                BlobType.Append => "AppendBlob",
                BlobType.Page => "PageBlob",
                _ => "BlockBlob",
            },
            Topic = BlobEventJson.TopicOf(blobs.AccountName),
        };
        var json = BlobEventJson.Write(created, options.Schema).ToJsonString();
        await queue.SendMessageAsync(options.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json, cancellationToken).ConfigureAwait(false);
        LogPublished(blob.Uri.AbsoluteUri, options.QueueName);
    }

    /// <summary>Every blob of the watched containers: container → name → ETag.</summary>
    private async Task<Dictionary<string, Dictionary<string, string>>> ListAsync(CancellationToken cancellationToken)
    {
        var containers = options.Containers.ToList();
        if (containers.Count == 0)
        {
            await foreach (var item in blobs.GetBlobContainersAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (item.Name != options.StateContainer)
                {
                    containers.Add(item.Name);
                }
            }
        }

        var found = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                await foreach (var item in blobs.GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    names[item.Name] = item.Properties.ETag?.ToString() ?? string.Empty;
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // A watched container that does not exist yet has no blobs.
            }

            found[container] = names;
        }

        return found;
    }

    private Task SaveAsync(CancellationToken cancellationToken) =>
        stateBlob.UploadAsync(BinaryData.FromObjectAsJson(announced), overwrite: true, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Grid emulator delivering BlobCreated events of {Containers} to queue {Queue} ({Schema} schema)")]
    private partial void LogStarted(string queue, string containers, EventSchema schema);

    [LoggerMessage(Level = LogLevel.Debug, Message = "BlobCreated {Url} → {Queue}")]
    private partial void LogPublished(string url, string queue);
}
