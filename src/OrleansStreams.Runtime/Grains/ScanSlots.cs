namespace OrleansStreams.Runtime.Grains;

/// <summary>
/// How many splits a silo's scan workers decode at once: one per core. A batch sends all its splits at once,
/// and decoding is CPU-bound, so without this limit every worker of the silo decodes together, the thread pool
/// grows past the cores to serve them and the process spends its time switching threads; beyond the limit a
/// split waits for a slot without holding a thread.
/// </summary>
public sealed class ScanSlots(int slots)
{
    private readonly SemaphoreSlim semaphore = new(slots, slots);

    public ScanSlots()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>Runs <paramref name="decode"/> in a slot, in the caller's context (a grain's scheduler stays its own).</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> decode)
    {
        await semaphore.WaitAsync();
        try
        {
            return await decode();
        }
        finally
        {
            semaphore.Release();
        }
    }
}
