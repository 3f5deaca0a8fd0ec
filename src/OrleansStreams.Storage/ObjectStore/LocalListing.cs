namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// Walks a local store's folders in ordinal key order, the order blob listings use: siblings are
/// sorted with folders compared as "name/", so "a-b" comes before everything under "a/" and "a0"
/// after it, and a depth-first walk then yields keys globally sorted without collecting them.
/// </summary>
internal static class LocalListing
{
    /// <summary>
    /// Keys starting with <paramref name="prefix"/>; entries with a null file are common prefixes
    /// (one-level listings only, and only for folders holding at least one object).
    /// </summary>
    public static IEnumerable<(string Key, FileInfo? File)> Enumerate(string root, string prefix, bool oneLevel)
    {
        var slash = prefix.LastIndexOf('/');
        var folderKey = prefix[..(slash + 1)];
        var namePrefix = prefix[(slash + 1)..];
        var folder = new DirectoryInfo(Path.Combine(root, folderKey.Replace('/', Path.DirectorySeparatorChar)));
        foreach (var entry in SortedEntries(folder))
        {
            if (!entry.Name.StartsWith(namePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = folderKey + entry.Name;
            if (entry is FileInfo file)
            {
                yield return (key, file);
            }
            else if (oneLevel)
            {
                if (HasObjects((DirectoryInfo)entry))
                {
                    yield return (key + "/", null);
                }
            }
            else
            {
                foreach (var below in Walk((DirectoryInfo)entry, key + "/"))
                {
                    yield return below;
                }
            }
        }
    }

    private static IEnumerable<(string Key, FileInfo? File)> Walk(DirectoryInfo folder, string keyPrefix)
    {
        foreach (var entry in SortedEntries(folder))
        {
            if (entry is FileInfo file)
            {
                yield return (keyPrefix + file.Name, file);
            }
            else
            {
                foreach (var below in Walk((DirectoryInfo)entry, keyPrefix + entry.Name + "/"))
                {
                    yield return below;
                }
            }
        }
    }

    private static List<FileSystemInfo> SortedEntries(DirectoryInfo folder)
    {
        List<FileSystemInfo> entries;
        try
        {
            entries = folder.EnumerateFileSystemInfos()
                .Where(e => e is DirectoryInfo || !ObjectKeys.IsReserved(e.Name))
                .ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return []; // a missing root or a folder deleted meanwhile lists as empty
        }

        entries.Sort((a, b) => string.CompareOrdinal(SortName(a), SortName(b)));
        return entries;
    }

    private static string SortName(FileSystemInfo entry) => entry is DirectoryInfo ? entry.Name + "/" : entry.Name;

    private static bool HasObjects(DirectoryInfo folder)
    {
        try
        {
            return folder.EnumerateFiles("*", SearchOption.AllDirectories).Any(f => !ObjectKeys.IsReserved(f.Name));
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }
}
