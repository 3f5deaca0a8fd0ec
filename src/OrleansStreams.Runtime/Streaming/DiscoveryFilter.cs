using System.Text.RegularExpressions;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Which listed objects of a source are its data files: not hidden or markers, and passing its glob, name filter and time window.</summary>
public sealed class DiscoveryFilter(DiscoverySpec spec)
{
    private readonly Regex? pathPattern = spec.Pattern is null ? null : PathGlob.ToRegex(spec.Pattern);
    private readonly Regex? nameFilter = spec.PathGlobFilter is null ? null : PathGlob.ToRegex(spec.PathGlobFilter);

    public bool Accepts(ObjectProperties item) => Accepts(item.Key, item.LastModified);

    /// <summary>For a key relative to the source folder, e.g. from a BlobCreated event rather than a listing.</summary>
    public bool Accepts(string key, DateTimeOffset modified)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return !name.StartsWith('_') && !name.StartsWith('.') // hidden and marker files (_SUCCESS, .crc) are not data
            && (spec.Recursive || !key.Contains('/', StringComparison.Ordinal)) // recursiveFileLookup=false: the folder's own files (a listing sees only those)
            && (pathPattern is null || PathGlob.Selects(pathPattern, key))
            && (nameFilter is null || nameFilter.IsMatch(name))
            && (spec.ModifiedAfter is not { } after || modified > after)
            && (spec.ModifiedBefore is not { } before || modified < before);
    }
}
