using System.Text;

namespace OrleansStreams.Storage.Delta;

/// <summary>
/// Converts between object keys relative to the table folder and the URI-encoded paths the log
/// stores in <c>add.path</c>/<c>remove.path</c>. Encoding follows <c>java.net.URI</c>'s path rules
/// (what Spark writes): <c>%</c> becomes <c>%25</c>, a space <c>%20</c>; <c>+ = : @ / , ; $ &amp;</c> stay.
/// </summary>
public static class DeltaPath
{
    /// <summary>URI-encodes a relative key for the log: <c>_2=bar+%2521/part.parquet</c> → <c>_2=bar+%252521/part.parquet</c>.</summary>
    public static string ToLogPath(string relativeKey)
    {
        ArgumentNullException.ThrowIfNull(relativeKey);
        var builder = new StringBuilder(relativeKey.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(relativeKey))
        {
            if (IsAllowed(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a log path back to the object key (relative paths) or the decoded absolute URI.</summary>
    public static string FromLogPath(string logPath)
    {
        ArgumentNullException.ThrowIfNull(logPath);
        return logPath.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(logPath) : logPath;
    }

    /// <summary>
    /// The key that identifies a file during log replay: add and remove actions for the same file may
    /// spell its path differently (encoded or not), so they are compared decoded.
    /// </summary>
    public static string Canonical(string logPath) => FromLogPath(logPath);

    /// <summary>Whether a decoded log path leaves the table folder: a URI, an absolute path or a <c>..</c> segment.</summary>
    public static bool IsOutsideTable(string key) =>
        key.Contains("://", StringComparison.Ordinal)
        || key.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith('/')
        || key.StartsWith('\\')
        || (key.Length > 1 && key[1] == ':')
        || key.Split('/', '\\').Any(segment => segment == "..");

    // java.net.URI path characters: unreserved, punctuation and '@' and '/'.
    private static bool IsAllowed(byte b) =>
        b < 0x80 && (char.IsAsciiLetterOrDigit((char)b) || "-_.!~*'(),;:$&+=@/".Contains((char)b, StringComparison.Ordinal));
}
