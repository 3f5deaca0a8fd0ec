namespace OrleansStreams.Client;

/// <summary>
/// Waits for storage reads behind SDK members that are synchronous in Spark's API (<c>df.schema</c>,
/// <c>readStream.table</c>, resolving a temp view). They run on the caller's thread, never on a grain; the
/// call starts on the thread pool so that a caller's synchronization context cannot deadlock it.
/// </summary>
internal static class SynchronousApi
{
    public static T Wait<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
}
