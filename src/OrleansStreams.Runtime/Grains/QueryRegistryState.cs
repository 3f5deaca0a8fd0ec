namespace OrleansStreams.Runtime.Grains;

/// <summary>The registry's durable state: every query started in the cluster, by checkpoint location.</summary>
public sealed class QueryRegistryState
{
    public Dictionary<string, QueryRegistration> Queries { get; set; } = new(StringComparer.Ordinal);
}
