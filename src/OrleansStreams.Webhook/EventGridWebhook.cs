using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Webhook;

/// <summary>
/// Event Grid push delivery into the notification path: a webhook that answers the subscription-validation
/// handshake (Event Grid schema) and the CloudEvents abuse-protection OPTIONS request, and writes the
/// BlobCreated events it receives to the notification queue through the stream provider — from there they
/// reach the discovery grains exactly as queue-delivered events do. Every request must carry the secret or a
/// valid Entra token; anything else gets 401.
/// </summary>
public static partial class EventGridWebhook
{
    /// <summary>The authentication scheme validating Entra bearer tokens.</summary>
    public const string EntraScheme = "EventGridWebhookEntra";

    /// <summary>Largest request body accepted (Event Grid sends at most 1 MB per delivery).</summary>
    public const long MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>
    /// Registers the webhook's options and, when <paramref name="entra"/> is given, the JwtBearer scheme that
    /// validates Entra tokens (authority or signing keys, issuer, audience).
    /// </summary>
    public static IServiceCollection AddEventGridWebhook(this IServiceCollection services, Action<EventGridWebhookOptions> configure, Action<JwtBearerOptions>? entra = null)
    {
        services.Configure<EventGridWebhookOptions>(options =>
        {
            configure(options);
            options.AcceptEntraTokens |= entra is not null;
        });
        if (entra is not null)
        {
            services.AddAuthentication().AddJwtBearer(EntraScheme, entra);
        }

        return services;
    }

    /// <summary>Maps the webhook (POST for deliveries, OPTIONS for the CloudEvents handshake) at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapEventGridWebhook(this IEndpointRouteBuilder endpoints, string pattern = "/api/eventgrid")
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<EventGridWebhookOptions>>().Value;
        if (string.IsNullOrEmpty(options.Secret) && !options.AcceptEntraTokens)
        {
            throw new InvalidOperationException("The Event Grid webhook needs a secret or Entra token validation (AddEventGridWebhook): it will not run open");
        }

        if (string.IsNullOrWhiteSpace(options.QueueName))
        {
            throw new InvalidOperationException("The Event Grid webhook needs EventGridWebhookOptions.QueueName, the notification queue its events go to");
        }

        return endpoints.MapMethods(pattern, [HttpMethods.Post, HttpMethods.Options], HandleAsync);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<EventGridWebhookOptions>>().Value;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventGridWebhook).FullName!);
        if (!await IsAuthorizedAsync(context, options).ConfigureAwait(false))
        {
            LogRejected(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", context.Request.Method);
            if (options.AcceptEntraTokens)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (HttpMethods.IsOptions(context.Request.Method))
        {
            AnswerAbuseProtection(context);
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes; // a chunked body has no length to check up front
        }

        var body = await BinaryData.FromStreamAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        var parsed = BlobEventParser.Parse(body);
        if (parsed.Error is not null)
        {
            LogUnparseable(logger, parsed.Error, BlobEventParser.Excerpt(body.ToString()));
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = parsed.Error }).ConfigureAwait(false);
            return;
        }

        if (parsed.Validations.Count > 0)
        {
            LogValidated(logger, context.Request.Path);
            await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["validationResponse"] = parsed.Validations[0].ValidationCode }).ConfigureAwait(false);
            return;
        }

        if (parsed.Foreign.Count > 0)
        {
            NotificationMetrics.EventsIgnored.Add(parsed.Foreign.Count);
            LogForeign(logger, string.Join(", ", parsed.Foreign));
        }

        var created = parsed.Created.Where(e => e.IsComplete).ToList();
        if (created.Count > 0)
        {
            var streams = context.RequestServices.GetRequiredService<IClusterClient>().GetStreamProvider(NotificationStreams.ProviderName);
            await streams.GetStream<BlobCreatedEvent>(StreamId.Create(NotificationStreams.QueueNamespace, options.QueueName)).OnNextBatchAsync(created).ConfigureAwait(false);
        }

        // Event Grid counts the delivery done on 200: the events are on the queue by now.
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task<bool> IsAuthorizedAsync(HttpContext context, EventGridWebhookOptions options)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (options.AcceptEntraTokens && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (await context.AuthenticateAsync(EntraScheme).ConfigureAwait(false)).Succeeded;
        }

        if (string.IsNullOrEmpty(options.Secret))
        {
            return false;
        }

        var presented = context.Request.Query[options.SecretQueryParameter].FirstOrDefault() ?? context.Request.Headers[options.SecretHeader].FirstOrDefault();
        return presented is not null && SameSecret(presented, options.Secret);
    }

    /// <summary>Compares in constant time (over fixed-length hashes, so the length leaks nothing either).</summary>
    private static bool SameSecret(string presented, string secret) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>CloudEvents 1.0 webhook validation: allow the requesting origin (Event Grid) to deliver.</summary>
    private static void AnswerAbuseProtection(HttpContext context)
    {
        var origin = context.Request.Headers["WebHook-Request-Origin"].FirstOrDefault();
        if (string.IsNullOrEmpty(origin))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.Headers["WebHook-Allowed-Origin"] = origin;
        context.Response.Headers["WebHook-Allowed-Rate"] = "*";
        context.Response.Headers.Allow = "POST, OPTIONS";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Grid webhook: {Method} from {Remote} rejected (no valid secret or token)")]
    private static partial void LogRejected(ILogger logger, string remote, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event Grid webhook: request body is not events ({Error}): {Excerpt}")]
    private static partial void LogUnparseable(ILogger logger, string error, string excerpt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Grid webhook {Path}: subscription validated")]
    private static partial void LogValidated(ILogger logger, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Grid webhook: events other than BlobCreated ignored: {Events}")]
    private static partial void LogForeign(ILogger logger, string events);
}
