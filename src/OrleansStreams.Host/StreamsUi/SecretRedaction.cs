using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansStreams.Host.StreamsUi;

/// <summary>
/// Takes secrets out of what the streams UI shows: a URL's query string (a SAS token) and password (not abfss' container@account), a connection
/// string's keys, and option values whose names say they are secret. Paths and messages stay readable otherwise.
/// </summary>
public static partial class SecretRedaction
{
    public const string Mask = "***";

    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = UrlQuery().Replace(text, m => $"{m.Groups["url"].Value}?{Mask}");
        text = UrlUserInfo().Replace(text, m => $"{m.Groups["scheme"].Value}://{Mask}@");
        return SecretPair().Replace(text, m => $"{m.Groups["key"].Value}={Mask}");
    }

    /// <summary>A copy of <paramref name="node"/> with every string redacted, and the values of secret-named properties masked.</summary>
    public static JsonNode? Redact(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, SecretName().IsMatch(p.Key) && p.Value is JsonValue ? JsonValue.Create(Mask) : Redact(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Redact)]),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Redact(s)),
        _ => node.DeepClone(),
    };

    [GeneratedRegex(@"(?<url>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#""'\]\)]+)\?[^\s""'#\]\)]*")]
    private static partial Regex UrlQuery();

    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*)://[^\s/@:""']+:[^\s/@""']+@")]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(?<key>\b(?:AccountKey|SharedAccessSignature|SharedAccessKey|Password|Pwd|sig|token|secret)\b)\s*=\s*[^;\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"(accountkey|sharedaccess|secret|password|sas|token|credential|connectionstring)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
