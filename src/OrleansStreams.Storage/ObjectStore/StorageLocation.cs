using System.Text;
using System.Text.RegularExpressions;

namespace OrleansStreams.Storage.ObjectStore;

/// <summary>Where a location lives.</summary>
public enum StorageKind
{
    Local,
    AzureBlob,
}

/// <summary>
/// A parsed, normalized storage location: a local folder, or a folder in an Azure Blob container.
/// Accepts local paths (relative ones are made absolute), <c>file:///abs</c> and <c>file:/abs</c>,
/// <c>abfss://container@account.dfs.core.windows.net/dir</c> (and <c>abfs</c>),
/// <c>wasbs://container@account.blob.core.windows.net/dir</c> (and <c>wasb</c>),
/// <c>https://account.blob.core.windows.net/container/dir</c>, and path-style endpoints such as
/// Azurite's <c>http://127.0.0.1:10000/devstoreaccount1/container/dir</c>.
/// </summary>
public sealed partial record StorageLocation
{
    private const string Expected =
        "expected a local path, file:///path, abfss://<container>@<account>.dfs.core.windows.net/<path>, " +
        "wasbs://<container>@<account>.blob.core.windows.net/<path> or https://<account>.blob.core.windows.net/<container>/<path>";

    private StorageLocation(StorageKind kind, string? localPath, string? accountName, string? container, string? path, Uri? blobServiceUri)
    {
        Kind = kind;
        LocalPath = localPath;
        AccountName = accountName;
        Container = container;
        Path = path;
        BlobServiceUri = blobServiceUri;
    }

    public StorageKind Kind { get; }

    /// <summary>Absolute folder path (Local only).</summary>
    public string? LocalPath { get; private init; }

    /// <summary>Storage account name (AzureBlob only).</summary>
    public string? AccountName { get; }

    /// <summary>Container name (AzureBlob only).</summary>
    public string? Container { get; }

    /// <summary>Folder inside the container, without leading or trailing '/'; "" for the container root (AzureBlob only).</summary>
    public string? Path { get; private init; }

    /// <summary>
    /// The account's blob endpoint (AzureBlob only): <c>https://account.blob.core.windows.net</c>, or the
    /// path-style endpoint the location named, e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>.
    /// </summary>
    public Uri? BlobServiceUri { get; }

    /// <summary>True when the endpoint is the account's public HTTPS one (<c>https://account.blob.suffix</c>).</summary>
    public bool IsPublicEndpoint =>
        BlobServiceUri is { Scheme: "https", IsDefaultPort: true } endpoint
        && endpoint.Host.StartsWith(AccountName + ".blob.", StringComparison.Ordinal);

    public static StorageLocation Local(string path) =>
        new(StorageKind.Local, System.IO.Path.GetFullPath(path), null, null, null, null);

    public static StorageLocation Parse(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ArgumentException("storage location must not be empty", nameof(location));
        }

        var scheme = SchemePattern().Match(location);
        if (!scheme.Success)
        {
            return Local(location);
        }

        return scheme.Groups[1].Value.ToLowerInvariant() switch
        {
            "file" => ParseFileUri(location),
            "abfs" or "abfss" or "wasb" or "wasbs" => ParseHadoopUri(location),
            "http" or "https" => ParseHttpUri(location),
            var other => throw Bad(location, $"unsupported scheme '{other}'; {Expected}"),
        };
    }

    /// <summary>The location of <paramref name="relative"/> ("a/b") below this one.</summary>
    public StorageLocation Combine(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var trimmed = relative.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return this;
        }

        ObjectKeys.Validate(trimmed, nameof(relative));
        return Kind == StorageKind.Local
            ? this with { LocalPath = System.IO.Path.Combine(LocalPath!, trimmed.Replace('/', System.IO.Path.DirectorySeparatorChar)) }
            : this with { Path = Path!.Length == 0 ? trimmed : Path + "/" + trimmed };
    }

    /// <summary>
    /// A canonical URI: <c>file:///…</c>, <c>abfss://container@account.dfs.…/path</c> for public
    /// endpoints, or <c>{endpoint}/container/path</c> for path-style endpoints.
    /// </summary>
    public override string ToString()
    {
        if (Kind == StorageKind.Local)
        {
            return new Uri(LocalPath!).AbsoluteUri;
        }

        var path = EscapePath(Path!);
        if (IsPublicEndpoint)
        {
            var suffix = BlobServiceUri!.Host[(AccountName!.Length + ".blob.".Length)..];
            return $"abfss://{Container}@{AccountName}.dfs.{suffix}/{path}";
        }

        return $"{BlobServiceUri!.AbsoluteUri.TrimEnd('/')}/{Container}/{path}";
    }

    private static StorageLocation ParseFileUri(string location)
    {
        var rest = location["file:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            var host = slash < 0 ? rest[2..] : rest[2..slash];
            if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw Bad(location, $"file URIs must name a local path (file:///path), not host '{host}'");
            }

            rest = slash < 0 ? "/" : rest[slash..];
        }

        if (!rest.StartsWith('/'))
        {
            throw Bad(location, "a file URI needs an absolute path (file:///path or file:/path)");
        }

        var path = Uri.UnescapeDataString(rest);
        // file:///C:/data → C:/data on Windows.
        if (path.Length >= 3 && path[2] == ':' && char.IsAsciiLetter(path[1]))
        {
            path = path[1..];
        }

        return Local(path);
    }

    private static StorageLocation ParseHadoopUri(string location)
    {
        var uri = ParseUri(location);
        if (uri.UserInfo.Length == 0)
        {
            throw Bad(location, $"missing container: expected {uri.Scheme}://<container>@<account>.dfs.core.windows.net/<path>");
        }

        var (account, suffix) = SplitAccountHost(location, uri.Host)
            ?? throw Bad(location, $"host '{uri.Host}' is not <account>.dfs.<suffix> or <account>.blob.<suffix>");
        var container = Uri.UnescapeDataString(uri.UserInfo);
        return Azure(location, account, container, uri.AbsolutePath, new Uri($"https://{account}.blob.{suffix}"));
    }

    private static StorageLocation ParseHttpUri(string location)
    {
        var uri = ParseUri(location);
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (SplitAccountHost(location, uri.Host) is { } host)
        {
            var (account, suffix) = host;
            if (segments.Length == 0)
            {
                throw Bad(location, "missing container: expected https://<account>.blob.core.windows.net/<container>/<path>");
            }

            var path = string.Join('/', segments.Skip(1));
            return Azure(location, account, Uri.UnescapeDataString(segments[0]), path,
                new Uri($"{uri.Scheme}://{account}.blob.{suffix}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}"));
        }

        // Path-style endpoint (Azurite, IP addresses, custom hosts): /<account>/<container>/<path>.
        if (segments.Length < 2)
        {
            throw Bad(location, "a path-style URI needs /<account>/<container>[/<path>], e.g. http://127.0.0.1:10000/devstoreaccount1/container/dir");
        }

        var endpoint = new Uri($"{uri.Scheme}://{uri.Authority}/{segments[0]}");
        return Azure(location, Uri.UnescapeDataString(segments[0]), Uri.UnescapeDataString(segments[1]), string.Join('/', segments.Skip(2)), endpoint);
    }

    private static Uri ParseUri(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw Bad(location, $"not a valid URI with a host; {Expected}");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Bad(location, "query strings and fragments are not supported in storage locations");
        }

        // System.Uri silently folds "a/../b"; a location with dot segments is refused instead.
        var rawPath = location[(location.IndexOf("//", StringComparison.Ordinal) + 2)..];
        var firstSlash = rawPath.IndexOf('/');
        if (firstSlash >= 0 && rawPath[firstSlash..].Split('/').Any(s => Uri.UnescapeDataString(s) is "." or ".."))
        {
            throw Bad(location, "invalid path: '.' and '..' segments are not allowed");
        }

        return uri;
    }

    private static (string Account, string Suffix)? SplitAccountHost(string location, string host)
    {
        var parts = host.ToLowerInvariant().Split('.', 3);
        if (parts.Length < 3 || parts[1] is not ("dfs" or "blob"))
        {
            return null;
        }

        ValidateAccount(location, parts[0]);
        return (parts[0], parts[2]);
    }

    private static StorageLocation Azure(string location, string account, string container, string rawPath, Uri endpoint)
    {
        ValidateAccount(location, account);
        if (!ContainerPattern().IsMatch(container))
        {
            throw Bad(location, $"invalid container name '{container}': 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit");
        }

        var path = Uri.UnescapeDataString(rawPath).Trim('/');
        if (path.Length > 0)
        {
            try
            {
                ObjectKeys.Validate(path, nameof(location));
            }
            catch (ArgumentException e)
            {
                throw Bad(location, $"invalid path '{path}': {e.Message}");
            }
        }

        return new StorageLocation(StorageKind.AzureBlob, null, account, container, path, endpoint);
    }

    private static void ValidateAccount(string location, string account)
    {
        if (!AccountPattern().IsMatch(account))
        {
            throw Bad(location, $"invalid storage account name '{account}': 3-24 lowercase letters and digits");
        }
    }

    private static ArgumentException Bad(string location, string problem) =>
        new($"invalid storage location '{location}': {problem}", nameof(location));

    /// <summary>Escapes a path for a URI, keeping '/', '=' and the other characters a path segment allows.</summary>
    private static string EscapePath(string path)
    {
        var builder = new StringBuilder(path.Length);
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".Contains(c, StringComparison.Ordinal)))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // At least two letters, so a Windows drive ("C:\data") is not taken for a scheme.
    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]+):")]
    private static partial Regex SchemePattern();

    [GeneratedRegex(@"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")]
    private static partial Regex ContainerPattern();

    [GeneratedRegex(@"^[a-z0-9]{3,24}$")]
    private static partial Regex AccountPattern();
}
