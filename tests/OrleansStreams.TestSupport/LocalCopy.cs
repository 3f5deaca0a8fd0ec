using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.TestSupport;

/// <summary>Copies every object of a store (a table on Azurite) into a local folder, for DuckDB, which has no Azure access offline.</summary>
public static class LocalCopy
{
    public static async Task<string> OfAsync(IObjectStore store, string folder)
    {
        await foreach (var page in store.ListAsync(string.Empty, ListOptions.Recursive))
        {
            foreach (var blob in page.Objects)
            {
                var path = Path.Combine(folder, blob.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, await store.ReadAllAsync(blob.Key));
            }
        }

        return folder;
    }
}
