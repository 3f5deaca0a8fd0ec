namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// The key rules both backends enforce, so a key that works on one works on the other:
/// forward slashes, no leading slash, no empty, "." or ".." segments (a key can never
/// escape the store's root), and no names the local store reserves for its own files.
/// </summary>
internal static class ObjectKeys
{
    /// <summary>Suffix of the local store's in-flight temp files (never listed).</summary>
    public const string TempSuffix = ".os-tmp";

    /// <summary>Suffix of the local store's per-key lock files (never listed).</summary>
    public const string LockSuffix = ".os-lock";

    public static void Validate(string key, string paramName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length == 0)
        {
            throw new ArgumentException("object key must not be empty", paramName);
        }

        ValidateSegments(key, paramName, allowTrailingSlash: false);
    }

    /// <summary>A listing prefix: empty, a folder ("a/b/") or a partial name ("_delta_log/0000").</summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length > 0)
        {
            ValidateSegments(prefix, paramName, allowTrailingSlash: true);
        }
    }

    public static bool IsReserved(string name) =>
        name.EndsWith(TempSuffix, StringComparison.Ordinal) || name.EndsWith(LockSuffix, StringComparison.Ordinal);

    private static void ValidateSegments(string key, string paramName, bool allowTrailingSlash)
    {
        if (key[0] == '/' || Path.IsPathRooted(key))
        {
            throw new ArgumentException($"object key '{key}' must be relative (no leading '/' or drive)", paramName);
        }

        if (key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"object key '{key}' must not contain '\\' or NUL; use '/' between folders", paramName);
        }

        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment.Length == 0 && !(isLast && allowTrailingSlash))
            {
                throw new ArgumentException($"object key '{key}' has an empty segment", paramName);
            }

            if (segment is "." or "..")
            {
                throw new ArgumentException($"object key '{key}' must not contain '.' or '..' segments", paramName);
            }
        }

        if (IsReserved(segments[^1]))
        {
            throw new ArgumentException(
                $"object key '{key}' ends in a suffix reserved for the store's own files ({TempSuffix}, {LockSuffix})", paramName);
        }
    }
}
