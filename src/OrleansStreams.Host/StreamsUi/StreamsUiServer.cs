using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OrleansStreams.Host.StreamsUi;

/// <summary>
/// The streams UI for an embedded run (<c>orleans-streams run … --ui</c>, <c>demo --ui</c>), like the Spark UI of a
/// local session: served on the loopback interface only, so nothing outside this machine reaches it, while the run lasts.
/// </summary>
public sealed class StreamsUiServer : IAsyncDisposable
{
    /// <summary>The Spark UI's port.</summary>
    public const int DefaultPort = 4040;

    private readonly WebApplication app;

    private StreamsUiServer(WebApplication app, string url) => (this.app, Url) = (app, url);

    /// <summary>The list page, e.g. <c>http://127.0.0.1:4040/streams</c>.</summary>
    public string Url { get; }

    /// <summary>Starts serving the queries of <paramref name="source"/> on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<StreamsUiServer> StartAsync(StreamsUiSource source, int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(source);
        var app = builder.Build();
        app.MapStreamsUi();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the streams UI cannot listen on 127.0.0.1:{port} ({e.Message}); give another port: --ui PORT", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StreamsUiServer(app, $"{address.TrimEnd('/')}{StreamsUiEndpoints.Path}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
