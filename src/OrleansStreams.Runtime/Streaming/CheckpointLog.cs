using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>
/// A numbered log in the checkpoint (<c>offsets/N</c>, <c>commits/N</c>), one small JSON object per
/// batch, each written put-if-absent: two runs racing on one checkpoint cannot both write batch N.
/// </summary>
public sealed class CheckpointLog(IObjectStore checkpoint, string folder)
{
    private string Key(long batchId) => $"{folder}/{batchId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Writes entry <paramref name="batchId"/>; false when it already exists (written by another or an earlier run).
    /// An existing entry with exactly our bytes is our own write whose response was lost (the store's retry met it): true.
    /// </summary>
    public async Task<bool> TryAddAsync(long batchId, JsonObject entry, CancellationToken cancellationToken) =>
        await checkpoint.PutIfAbsentOrSameAsync(Key(batchId), Encoding.UTF8.GetBytes(entry.ToJsonString()), cancellationToken).ConfigureAwait(false) is not null;

    public async Task<JsonObject?> GetAsync(long batchId, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await checkpoint.ReadAllAsync(Key(batchId), cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(bytes)?.AsObject() ?? throw new InvalidDataException($"checkpoint entry {checkpoint.Root}/{Key(batchId)} is empty");
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"checkpoint entry {checkpoint.Root}/{Key(batchId)} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The highest batch id in the log, or null when it is empty.</summary>
    public async Task<long?> LatestAsync(CancellationToken cancellationToken)
    {
        long? latest = null;
        await foreach (var page in checkpoint.ListAsync(folder + "/", ListOptions.OneLevel, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Objects)
            {
                if (long.TryParse(item.Key[(folder.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && (latest is null || id > latest))
                {
                    latest = id;
                }
            }
        }

        return latest;
    }
}
