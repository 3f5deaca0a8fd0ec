namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// The storage roots a silo lets queries read and write. A location is allowed when it is a root or lies below one
/// by whole path segments (<c>/data/wh</c> allows <c>/data/wh/t</c>, not <c>/data/wh2</c>), compared in parsed,
/// normalized form: local paths made absolute with <c>..</c> resolved, <c>file://</c> URIs as paths, and Blob
/// locations by the service <see cref="ObjectStoreFactory"/> reaches them through, their container and folder, so
/// abfss://, wasbs:// and https:// spellings of one folder are the same. Symbolic links are not followed.
/// </summary>
public sealed class StorageRoots
{
    /// <summary>A root that allows every location.</summary>
    public const string Anything = "*";

    private readonly ObjectStoreFactory? stores;
    private readonly IReadOnlyList<StorageLocation> roots;

    private StorageRoots(ObjectStoreFactory? stores, IReadOnlyList<StorageLocation> roots, IReadOnlyList<string> names)
    {
        this.stores = stores;
        this.roots = roots;
        Names = names;
    }

    /// <summary>No restriction (an embedded silo, Development, or a root of <see cref="Anything"/>).</summary>
    public static StorageRoots Anywhere { get; } = new(null, [], [Anything]);

    /// <summary>The roots for messages: local folders as absolute paths, storage URIs as configured.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool AllowsAnything => stores is null;

    /// <param name="roots">Folders and storage URIs; <see cref="Anything"/> among them allows every location.</param>
    /// <param name="stores">How Blob locations are reached (which connection string serves which account).</param>
    public static StorageRoots Of(IEnumerable<string> roots, ObjectStoreFactory stores)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(stores);
        var given = roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        if (given.Contains(Anything))
        {
            return Anywhere;
        }

        var parsed = given.Select(StorageLocation.Parse).ToList();
        return new StorageRoots(stores, parsed, [.. given.Select((r, i) => parsed[i].LocalPath ?? r)]);
    }

    /// <summary>Whether <paramref name="location"/> (a folder, file or storage URI; a glob's folder) lies within a root.</summary>
    /// <exception cref="ArgumentException">The location does not parse.</exception>
    public bool Allows(string location)
    {
        if (stores is null)
        {
            return true;
        }

        var parsed = StorageLocation.Parse(location);
        return roots.Any(root => Contains(root, parsed));
    }

    private bool Contains(StorageLocation root, StorageLocation location)
    {
        if (root.Kind != location.Kind)
        {
            return false;
        }

        if (root.Kind == StorageKind.Local)
        {
            return IsWithin(Trim(root.LocalPath!), Trim(location.LocalPath!), Path.DirectorySeparatorChar, LocalComparison);
        }

        return stores!.ServiceKey(root) == stores.ServiceKey(location)
            && root.Container == location.Container
            && IsWithin(root.Path!, location.Path!, '/', StringComparison.Ordinal);
    }

    /// <summary><paramref name="path"/> is <paramref name="root"/> or below it by whole segments; "" is the top (a container, or "/").</summary>
    private static bool IsWithin(string root, string path, char separator, StringComparison comparison) =>
        root.Length == 0
        || path.Equals(root, comparison)
        || (path.Length > root.Length && path[root.Length] == separator && path.StartsWith(root, comparison));

    /// <summary>An absolute local path without its trailing separators ("/" becomes "", the top).</summary>
    private static string Trim(string path) => Path.TrimEndingDirectorySeparator(path) is var trimmed && trimmed == Path.GetPathRoot(trimmed)
        ? trimmed.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
        : trimmed;

    private static StringComparison LocalComparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
}
