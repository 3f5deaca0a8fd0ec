using System.Text.RegularExpressions;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Which listed objects of a source are its data files: not hidden or markers, and passing its glob, name filter and time window.</summary>
public sealed class DiscoveryFilter(DiscoverySpec spec)
{
    private readonly Regex? pathPattern = spec.Pattern is null ? null : PathGlob.ToRegex(spec.Pattern);
    private readonly Regex? nameFilter = spec.PathGlobFilter is null ? null : PathGlob.ToRegex(spec.PathGlobFilter);

    public bool Accepts(ObjectProperties item)
    {
        var name = item.Key[(item.Key.LastIndexOf('/') + 1)..];
        return !name.StartsWith('_') && !name.StartsWith('.') // hidden and marker files (_SUCCESS, .crc) are not data
            && (pathPattern is null || PathGlob.Selects(pathPattern, item.Key))
            && (nameFilter is null || nameFilter.IsMatch(name))
            && (spec.ModifiedAfter is not { } after || item.LastModified > after)
            && (spec.ModifiedBefore is not { } before || item.LastModified < before);
    }
}
