using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansStreams.Runtime.Hosting;

/// <summary>
/// A single silo in this process with localhost clustering on free loopback ports and in-memory reminders: how an
/// embedded session runs its queries on grains without any cluster to set up.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost host;

    private EmbeddedSilo(IHost host) => this.host = host;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    /// <param name="loggerFactory">Where the silo logs (grains included); nowhere when null.</param>
    public static async Task<EmbeddedSilo> StartAsync(OrleansStreamsSiloOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "orleans-streams-embedded", clusterId: $"embedded-{Guid.NewGuid():N}")
            .UseInMemoryReminderService()
            .AddOrleansStreams(options));
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new EmbeddedSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().ConfigureAwait(false);
        host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
