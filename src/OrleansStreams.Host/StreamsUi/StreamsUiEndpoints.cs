using System.Text.Json.Nodes;
using OrleansStreams.Runtime.Grains;

namespace OrleansStreams.Host.StreamsUi;

/// <summary>
/// The streams UI, like the Structured Streaming tab of the Spark UI: <c>/streams</c> lists the cluster's queries,
/// <c>/streams/{name}</c> charts one query's recent batches. The pages are static (embedded in this assembly) and
/// poll the JSON API under <c>/streams/api/</c>: <c>queries</c> (every query's summary) and <c>queries/{name}</c>
/// (one query with its recent progress, plan and failure).
/// </summary>
public static class StreamsUiEndpoints
{
    public const string Path = "/streams";

    /// <summary>Same-origin only: no CDN, no inline script, no framing.</summary>
    private const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Maps the pages and the API; the caller adds authorization to the returned group. Reads queries from the registered <see cref="StreamsUiSource"/>.</summary>
    public static RouteGroupBuilder MapStreamsUi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Path);
        group.MapGet("/api/queries", async (HttpContext http, StreamsUiSource source) =>
            Json(http, StreamsApiJson.List(await source.ListAsync())));
        group.MapGet("/api/queries/{**name}", async (HttpContext http, StreamsUiSource source, string name) =>
            ClusterQuery.Find(await source.ListAsync(), Uri.UnescapeDataString(name)) is { } query
                ? Json(http, StreamsApiJson.Details(query))
                : Results.NotFound(new { error = $"no query named '{SecretRedaction.Redact(Uri.UnescapeDataString(name))}'" }));
        group.MapGet("/assets/{file}", (HttpContext http, string file) =>
            StreamsUiAssets.Find(file) is { } asset ? Page(http, Results.Bytes(asset.Content, asset.ContentType)) : Results.NotFound());
        group.MapGet("/", (HttpContext http) => Html(http, "index.html"));
        group.MapGet("/{**name}", (HttpContext http, string? name) => Html(http, string.IsNullOrEmpty(name) ? "index.html" : "query.html"));
        return group;
    }

    /// <summary>A page with its links rooted where the UI is mapped (behind a path base too).</summary>
    private static IResult Html(HttpContext http, string page)
    {
        var text = StreamsUiAssets.Text(page).Replace("{{base}}", $"{http.Request.PathBase}{Path}", StringComparison.Ordinal);
        return Page(http, Results.Text(text, "text/html; charset=utf-8"));
    }

    private static IResult Json(HttpContext http, JsonObject json)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Page(http, Results.Text(json.ToJsonString(), "application/json; charset=utf-8"));
    }

    private static IResult Page(HttpContext http, IResult result)
    {
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return result;
    }
}
