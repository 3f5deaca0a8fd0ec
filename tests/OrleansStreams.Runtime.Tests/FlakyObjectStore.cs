using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Tests;

/// <summary>A crash of the process, simulated: everything in memory is gone; only what reached storage stays.</summary>
public sealed class SimulatedCrashException(string message) : Exception(message);

/// <summary>Decides, for each write, whether the process "dies" just before it or just after it.</summary>
public sealed class Chaos(int seed, double probability)
{
    private readonly Random random = new(seed);

    public bool Enabled { get; set; } = true;

    public int Crashes { get; private set; }

    public (bool Before, bool After) Next()
    {
        lock (random)
        {
            if (!Enabled || random.NextDouble() >= probability)
            {
                return (false, false);
            }

            Crashes++;
            return random.Next(2) == 0 ? (true, false) : (false, true);
        }
    }
}

/// <summary>An object store whose writes may crash before or after they land, as a killed process would.</summary>
public sealed class FlakyObjectStore(IObjectStore inner, Chaos chaos) : IObjectStore
{
    public string Root => inner.Root;

    public Task<byte[]> ReadAllAsync(string key, CancellationToken cancellationToken = default) => inner.ReadAllAsync(key, cancellationToken);

    public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken = default) => inner.ReadRangeAsync(key, offset, length, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<ObjectProperties> WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        AroundAsync(key, () => inner.WriteAsync(key, content, cancellationToken));

    public Task<ObjectProperties> WriteAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        AroundAsync(key, () => inner.WriteAsync(key, content, cancellationToken));

    public Task<ObjectProperties?> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        AroundAsync(key, () => inner.PutIfAbsentAsync(key, content, cancellationToken));

    public Task<ObjectProperties> OverwriteIfMatchAsync(string key, ReadOnlyMemory<byte> content, string expectedETag, CancellationToken cancellationToken = default) =>
        AroundAsync(key, () => inner.OverwriteIfMatchAsync(key, content, expectedETag, cancellationToken));

    public Task<ObjectProperties?> GetPropertiesAsync(string key, CancellationToken cancellationToken = default) => inner.GetPropertiesAsync(key, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => AroundAsync(key, () => inner.DeleteAsync(key, cancellationToken));

    public IAsyncEnumerable<ObjectListing> ListAsync(string prefix, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(prefix, options, cancellationToken);

    private async Task<T> AroundAsync<T>(string key, Func<Task<T>> write)
    {
        var (before, after) = chaos.Next();
        if (before)
        {
            throw new SimulatedCrashException($"crashed before writing {key}");
        }

        var result = await write().ConfigureAwait(false);
        if (after)
        {
            throw new SimulatedCrashException($"crashed after writing {key}");
        }

        return result;
    }
}
