using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansStreams.TestSupport;
using OrleansStreams.Webhook;

namespace OrleansStreams.Notifications.Tests;

/// <summary>
/// An ASP.NET Core app on Kestrel (a loopback port the OS picks) mapping the Event Grid webhook, with a secret
/// and Entra token validation against a locally generated signing key; optionally co-hosting a silo, as the
/// silo host does.
/// </summary>
public sealed class WebhookHost : IAsyncDisposable
{
    public const string Secret = "s3cret-webhook-key";
    public const string Issuer = "https://login.example.test/tenant-1/v2.0";
    public const string Audience = "api://orleans-streams-webhook";

    private WebhookHost(WebApplication app, Uri address, SecurityKey key, LogCapture logs)
    {
        App = app;
        Address = address;
        SigningKey = key;
        Logs = logs;
    }

    public WebApplication App { get; }

    /// <summary>The webhook's URL, without the secret.</summary>
    public Uri Address { get; }

    public SecurityKey SigningKey { get; }

    public LogCapture Logs { get; }

    public static async Task<WebhookHost> StartAsync(string queueName, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var logs = new LogCapture();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(logs);
        var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        builder.Services.AddEventGridWebhook(
            o =>
            {
                o.QueueName = queueName;
                o.Secret = Secret;
            },
            jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters { ValidIssuer = Issuer, ValidAudience = Audience, IssuerSigningKey = key };
            });
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapEventGridWebhook("/api/eventgrid");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new WebhookHost(app, new Uri($"{address}/api/eventgrid"), key, logs);
    }

    /// <summary>A token as Entra would issue it to Event Grid's delivery identity (issuer, audience and key may be spoiled).</summary>
    public string Token(string issuer = Issuer, string audience = Audience, SecurityKey? key = null, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["appid"] = "4962773b-9cdb-44cf-a8bf-237846a00ab7" },
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
