using OrleansStreams.Runtime.Grains;

namespace OrleansStreams.Host.StreamsUi;

/// <summary>
/// Where the streams UI reads its queries: the silo's grain factory on the host, an embedded session's silo in the
/// CLI. Either way through <see cref="ClusterQuery.ListAsync"/>, as the <c>queries</c> and <c>status</c> commands do.
/// </summary>
public sealed class StreamsUiSource(Func<Task<IReadOnlyList<ClusterQuery>>> list)
{
    public Task<IReadOnlyList<ClusterQuery>> ListAsync() => list();

    /// <summary>The queries of the cluster this process' silo (or grain client) belongs to.</summary>
    public static StreamsUiSource Of(IGrainFactory grains) => new(() => ClusterQuery.ListAsync(grains));
}
