using System.Globalization;

namespace OrleansStreams.Engine.Common;

/// <summary>Sizes as Spark and Delta options write them: "10g", "512m", "1024k", "128mb", "100" (bytes).</summary>
public static class ByteSizeText
{
    /// <param name="name">The option or property, as the error names it.</param>
    public static long Parse(string value, string name)
    {
        var text = value.Trim().ToLowerInvariant().TrimEnd('b');
        var (digits, factor) = (text.Length == 0 ? ' ' : text[^1]) switch
        {
            'k' => (text[..^1], 1L << 10),
            'm' => (text[..^1], 1L << 20),
            'g' => (text[..^1], 1L << 30),
            't' => (text[..^1], 1L << 40),
            _ => (text, 1L),
        };
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n * factor
            : throw new ArgumentException($"Option {name} must be a size such as '10g' or '512m', not '{value}'");
    }
}
