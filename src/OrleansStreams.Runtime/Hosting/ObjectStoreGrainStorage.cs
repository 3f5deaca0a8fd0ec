using System.Text.Json;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// Grain state as JSON objects in an object store (local files or Blob), one per grain and state name. The first
/// write is a put-if-absent and later ones are ETag-conditional, so two activations of one grain cannot overwrite
/// each other's state unnoticed (Orleans' InconsistentStateException). This replaces Orleans' Azure storage
/// provider, not available here.
/// </summary>
public sealed class ObjectStoreGrainStorage : IGrainStorage
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly Func<string, GrainId, (IObjectStore Store, string Key)> locate;
    private readonly Func<GrainId, bool> allowed;

    private ObjectStoreGrainStorage(Func<string, GrainId, (IObjectStore Store, string Key)> locate, Func<GrainId, bool>? allowed = null)
    {
        this.locate = locate;
        this.allowed = allowed ?? (_ => true);
    }

    /// <summary>Every grain's state in one folder: <c>&lt;grain type&gt;/&lt;grain key&gt;.&lt;state&gt;.json</c>.</summary>
    public static ObjectStoreGrainStorage InFolder(IObjectStore store) => new((stateName, grainId) => (store, Key(stateName, grainId)));

    /// <summary>
    /// For grains keyed by a query's checkpoint location: the state lives in that checkpoint
    /// (<c>&lt;checkpoint&gt;/_grains/&lt;state&gt;.json</c>), beside the offsets and commits it belongs with. A checkpoint
    /// outside <paramref name="roots"/> is never read (its grain starts empty) nor written, whoever calls the grain.
    /// </summary>
    public static ObjectStoreGrainStorage InCheckpoint(ObjectStoreFactory stores, StorageRoots? roots = null) => new(
        (stateName, grainId) => (stores.Create(grainId.Key.ToString()!), $"_grains/{Uri.EscapeDataString(stateName)}.json"),
        grainId => roots is null || roots.Allows(grainId.Key.ToString()!));

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (store, key) = locate(stateName, grainId);
        var properties = allowed(grainId) ? await store.GetPropertiesAsync(key).ConfigureAwait(false) : null;
        if (properties is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var bytes = await store.ReadAllAsync(key).ConfigureAwait(false);
        grainState.State = JsonSerializer.Deserialize<T>(bytes, JsonOptions) ?? Activator.CreateInstance<T>();
        grainState.ETag = properties.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        DemandAllowed(grainId);
        var (store, key) = locate(stateName, grainId);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(grainState.State, JsonOptions);
        // A write whose response was lost is retried by the storage client and meets itself (409/412): when the stored
        // bytes are exactly ours, the write landed, so take its ETag instead of failing the grain.
        ObjectProperties written;
        try
        {
            written = grainState.ETag is null
                ? await store.PutIfAbsentOrSameAsync(key, bytes).ConfigureAwait(false)
                    ?? throw new InconsistentStateException($"The state of {grainId} ({key}) was created by another activation", "none", "exists")
                : await store.OverwriteIfMatchAsync(key, bytes, grainState.ETag).ConfigureAwait(false);
        }
        catch (ETagMismatchException e)
        {
            written = await store.FindSameAsync(key, bytes).ConfigureAwait(false)
                ?? throw new InconsistentStateException($"The state of {grainId} ({key}) changed since it was read: {e.Message}", grainState.ETag ?? "none", "changed", e);
        }

        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        DemandAllowed(grainId);
        var (store, key) = locate(stateName, grainId);
        await store.DeleteAsync(key).ConfigureAwait(false);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private void DemandAllowed(GrainId grainId)
    {
        if (!allowed(grainId))
        {
            throw new InvalidOperationException(
                $"the cluster does not let queries write the checkpoint {grainId.Key} ({OrleansStreamsSiloOptions.AllowedLocationsSetting})");
        }
    }

    /// <summary>The grain's type and key, escaped so any key maps to one object name.</summary>
    private static string Key(string stateName, GrainId grainId) =>
        $"{Uri.EscapeDataString(grainId.Type.ToString()!)}/{Uri.EscapeDataString(grainId.Key.ToString()!)}.{Uri.EscapeDataString(stateName)}.json";
}
