using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansStreams.TestSupport;

/// <summary>
/// A reverse proxy on a loopback port in front of a storage endpoint (Azurite's blob service) that disturbs requests
/// as <see cref="FaultPlan"/> says: throttling answers (503/429 with Azure's <c>ServerBusy</c> error), connections
/// dropped before forwarding or after the request was done (a lost response), and delays. Clients reach it through a
/// connection string whose endpoint is <see cref="Endpoint"/>; their own retry policy has to get them through.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    // Per-connection or proxy-owned headers; the rest (x-ms-*, conditions, content headers) pass verbatim, since the
    // SharedKey signature covers them.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Content-Length",
    };

    private readonly WebApplication app;
    private readonly HttpClient forwarder;
    private readonly Uri target;
    private readonly FaultPlan plan;
    private readonly int[] injected = new int[Enum.GetValues<StorageFault>().Length];

    private FaultInjectingProxy(WebApplication app, HttpClient forwarder, Uri target, FaultPlan plan, Uri address)
    {
        this.app = app;
        this.forwarder = forwarder;
        this.target = target;
        this.plan = plan;
        Address = address;
    }

    /// <summary>The proxy's base address (<c>http://127.0.0.1:port</c>).</summary>
    public Uri Address { get; }

    /// <summary>The proxied endpoint: <paramref name="target"/>'s path under the proxy's address.</summary>
    public string Endpoint => new Uri(Address, target.AbsolutePath).AbsoluteUri.TrimEnd('/');

    public FaultPlan Plan => plan;

    /// <summary>How many requests each kind of fault disturbed so far.</summary>
    public IReadOnlyDictionary<StorageFault, int> Injected =>
        Enum.GetValues<StorageFault>().ToDictionary(kind => kind, kind => Volatile.Read(ref injected[(int)kind]));

    /// <summary>Starts a proxy for <paramref name="target"/> (e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>).</summary>
    public static async Task<FaultInjectingProxy> StartAsync(Uri target, FaultPlan plan)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var forwarder = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        FaultInjectingProxy? proxy = null;
        app.Run(context => proxy!.HandleAsync(context));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy = new FaultInjectingProxy(app, forwarder, target, plan, new Uri(address));
        return proxy;
    }

    /// <summary>A copy of <paramref name="connectionString"/> whose blob endpoint is this proxy.</summary>
    public string ConnectionStringFor(string connectionString) =>
        string.Join(';', connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.StartsWith("BlobEndpoint=", StringComparison.OrdinalIgnoreCase) ? $"BlobEndpoint={Endpoint}" : part)) + ";";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        forwarder.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var fault = plan.Next(context.Request.Method, context.Request.Path.Value ?? string.Empty);
        if (fault is { } kind)
        {
            Interlocked.Increment(ref injected[(int)kind]);
        }

        switch (fault)
        {
            case StorageFault.ServerBusy:
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
                return;
            case StorageFault.TooManyRequests:
                await RefuseAsync(context, StatusCodes.Status429TooManyRequests).ConfigureAwait(false);
                return;
            case StorageFault.ResetBeforeForwarding:
                context.Abort();
                return;
            case StorageFault.Delay:
                await Task.Delay(plan.Delay, context.RequestAborted).ConfigureAwait(false);
                break;
        }

        using var response = await ForwardAsync(context).ConfigureAwait(false);
        if (fault == StorageFault.ResetAfterForwarding)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name) || string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Sends the request on to the target as it came (raw path and query, headers, body) and reads the whole answer.</summary>
    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri($"{target.GetLeftPart(UriPartial.Authority)}{rawTarget}"));
        if (context.Request.ContentLength is not null || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        return await forwarder.SendAsync(request, HttpCompletionOption.ResponseContentRead, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Answers as a throttled storage account does, without forwarding.</summary>
    private static async Task RefuseAsync(HttpContext context, int status)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code>" +
            $"<Message>The server is currently unable to receive requests. Please retry your request.\nRequestId:{requestId}\nTime:{DateTime.UtcNow:O}</Message></Error>");
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength = body.Length;
        context.Response.Headers["x-ms-error-code"] = "ServerBusy";
        context.Response.Headers["x-ms-request-id"] = requestId;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
