using System.Collections.Frozen;
using System.Text;

namespace OrleansStreams.Host.StreamsUi;

/// <summary>The UI's pages, scripts and styles, embedded in this assembly (<c>StreamsUi/Assets</c>): nothing is fetched from elsewhere at run time.</summary>
internal static class StreamsUiAssets
{
    private const string Prefix = "StreamsUi/";

    private static readonly FrozenDictionary<string, Asset> All = Load();

    public static Asset? Find(string file) => All.GetValueOrDefault(file);

    public static string Text(string file) => Encoding.UTF8.GetString(All[file].Content);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(StreamsUiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[Prefix.Length..];
            assets[file] = new Asset(copy.ToArray(), ContentTypeOf(file));
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string file) => System.IO.Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };

    internal sealed record Asset(byte[] Content, string ContentType);
}
