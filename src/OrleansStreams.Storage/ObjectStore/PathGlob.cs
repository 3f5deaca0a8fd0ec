using System.Text;
using System.Text.RegularExpressions;

namespace OrleansStreams.Storage.ObjectStore;

/// <summary>
/// Hadoop-style globs (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>{a,b}</c>) in a load path or <c>pathGlobFilter</c>.
/// <see cref="Split"/> separates the fixed folder to list from the pattern below it.
/// </summary>
public static class PathGlob
{
    public static bool HasGlob(string path) => path.IndexOfAny(['*', '?', '[', '{']) >= 0;

    /// <summary>(folder without glob characters, pattern for the rest or null).</summary>
    public static (string Folder, string? Pattern) Split(string path)
    {
        if (!HasGlob(path))
        {
            return (path, null);
        }

        var segments = path.Split('/');
        var firstGlob = Array.FindIndex(segments, HasGlob);
        return (string.Join('/', segments[..firstGlob]), string.Join('/', segments[firstGlob..]));
    }

    /// <summary>A glob selects a key itself, or a folder all of whose keys it then selects (as Spark's globbed load paths do).</summary>
    public static bool Selects(Regex pattern, string key)
    {
        for (var end = key.Length; end > 0; end = key.LastIndexOf('/', end - 1))
        {
            if (pattern.IsMatch(key[..end]))
            {
                return true;
            }
        }

        return false;
    }

    public static Regex ToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        var inBraces = false;
        foreach (var c in glob)
        {
            regex.Append(c switch
            {
                '*' => "[^/]*",
                '?' => "[^/]",
                '{' => Enter(ref inBraces),
                '}' when inBraces => Leave(ref inBraces),
                ',' when inBraces => "|",
                '[' or ']' => c.ToString(),
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private static string Enter(ref bool inBraces)
    {
        inBraces = true;
        return "(?:";
    }

    private static string Leave(ref bool inBraces)
    {
        inBraces = false;
        return ")";
    }
}
