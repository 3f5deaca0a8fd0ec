namespace OrleansStreams.Webhook;

/// <summary>
/// The Event Grid webhook: where accepted BlobCreated events go, and how callers prove they are the
/// subscription — a shared secret (in the query string, as Event Grid endpoint URLs carry it, or a header)
/// or an Entra ID token (Event Grid's "Microsoft Entra authentication" delivery). Nothing else gets in.
/// </summary>
public sealed class EventGridWebhookOptions
{
    /// <summary>The storage queue (in the notification provider's default account) the events are written to.</summary>
    public string QueueName { get; set; } = string.Empty;

    /// <summary>The shared secret; null when only Entra tokens are accepted.</summary>
    public string? Secret { get; set; }

    /// <summary>The query parameter carrying the secret: <c>https://host/api/eventgrid?code=…</c>.</summary>
    public string SecretQueryParameter { get; set; } = "code";

    /// <summary>The header that may carry the secret instead.</summary>
    public string SecretHeader { get; set; } = "X-OrleansStreams-Key";

    /// <summary>Whether bearer tokens are validated (by the JwtBearer scheme <see cref="EventGridWebhook.EntraScheme"/>).</summary>
    public bool AcceptEntraTokens { get; set; }
}
