using System.Text.RegularExpressions;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Runtime.Streaming;

/// <summary>Which keys below its folder a source takes: not hidden, selected by its glob and pathGlobFilter, within modifiedAfter/Before.</summary>
public sealed class FileFilter(DiscoverySpec spec)
{
    private readonly Regex? pathPattern = spec.Pattern is null ? null : PathGlob.ToRegex(spec.Pattern);
    private readonly Regex? nameFilter = spec.PathGlobFilter is null ? null : PathGlob.ToRegex(spec.PathGlobFilter);

    /// <param name="key">The file's key relative to the source folder.</param>
    public bool Accepts(string key, DateTimeOffset modified)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return !name.StartsWith('_') && !name.StartsWith('.') // hidden and marker files (_SUCCESS, .crc) are not data
            && (spec.Recursive || !key.Contains('/', StringComparison.Ordinal)) // recursiveFileLookup=false: the folder's own files only
            && (pathPattern is null || PathGlob.Selects(pathPattern, key))
            && (nameFilter is null || nameFilter.IsMatch(name))
            && (spec.ModifiedAfter is not { } after || modified > after)
            && (spec.ModifiedBefore is not { } before || modified < before);
    }
}
