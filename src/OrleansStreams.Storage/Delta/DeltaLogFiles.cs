using System.Globalization;

namespace OrleansStreams.Storage.Delta;

/// <summary>Names of the files under <c>_delta_log/</c> and their parsing.</summary>
public static class DeltaLogFiles
{
    public const string LogFolder = "_delta_log/";
    public const string LastCheckpointKey = LogFolder + "_last_checkpoint";
    public const string SidecarFolder = LogFolder + "_sidecars/";

    public static string CommitKey(long version) => $"{LogFolder}{version:D20}.json";

    public static string CheckpointKey(long version) => $"{LogFolder}{version:D20}.checkpoint.parquet";

    public static string CheckpointPartKey(long version, int part, int parts) => $"{LogFolder}{version:D20}.checkpoint.{part:D10}.{parts:D10}.parquet";

    /// <summary>The version of a commit file key (<c>_delta_log/00…07.json</c>), or null for any other key.</summary>
    public static long? ParseCommitVersion(string key)
    {
        var name = FileName(key);
        return name.Length == 25 && name.EndsWith(".json", StringComparison.Ordinal) && TryParseVersion(name[..20], out var v) ? v : null;
    }

    /// <summary>The version and part count of a checkpoint file key (single-part: parts = 1), or null.</summary>
    public static (long Version, int Parts)? ParseCheckpoint(string key)
    {
        var name = FileName(key);
        if (name.Length < 20 || !TryParseVersion(name[..20], out var version))
        {
            return null;
        }

        var rest = name[20..];
        if (rest == ".checkpoint.parquet")
        {
            return (version, 1);
        }

        // .checkpoint.0000000001.0000000003.parquet
        var pieces = rest.Split('.');
        return pieces.Length == 5 && pieces[1] == "checkpoint" && pieces[4] == "parquet"
            && int.TryParse(pieces[3], NumberStyles.None, CultureInfo.InvariantCulture, out var parts)
            ? (version, parts)
            : null;
    }

    /// <summary>
    /// The version a log file belongs to (a commit, a checkpoint or checkpoint part, a <c>.crc</c> checksum): the 20 digits
    /// its name starts with. Null for <c>_last_checkpoint</c>, folders and anything else.
    /// </summary>
    public static long? ParseVersionPrefix(string key)
    {
        var name = FileName(key);
        return name.Length > 21 && name[20] == '.' && TryParseVersion(name[..20], out var version) ? version : null;
    }

    /// <summary>
    /// The version of a UUID-named (V2-spec) checkpoint key, <c>_delta_log/00…10.checkpoint.&lt;uuid&gt;.json</c> or
    /// <c>.parquet</c>, or null for any other key.
    /// </summary>
    public static long? ParseUuidCheckpoint(string key)
    {
        var name = FileName(key);
        var pieces = name.Split('.');
        return pieces.Length == 4 && pieces[0].Length == 20 && TryParseVersion(pieces[0], out var version)
            && pieces[1] == "checkpoint" && Guid.TryParseExact(pieces[2], "D", out _) && pieces[3] is "json" or "parquet"
            ? version
            : null;
    }

    /// <summary>
    /// The store key of a sidecar file named by a checkpoint's sidecar action: sidecars live in <c>_delta_log/_sidecars/</c>,
    /// and the action usually holds only the (URI-encoded) file name; a longer path must end in that folder too.
    /// </summary>
    public static string? SidecarKey(string path)
    {
        var decoded = Uri.UnescapeDataString(path);
        if (!decoded.Contains('/', StringComparison.Ordinal))
        {
            return SidecarFolder + decoded;
        }

        var at = decoded.LastIndexOf("/" + SidecarFolder, StringComparison.Ordinal);
        var name = at < 0 ? null : decoded[(at + 1 + SidecarFolder.Length)..];
        return string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) ? null : SidecarFolder + name;
    }

    private static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    private static bool TryParseVersion(string digits, out long version) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version);
}
