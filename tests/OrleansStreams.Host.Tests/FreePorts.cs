using System.Net;
using System.Net.Sockets;

namespace OrleansStreams.Host.Tests;

/// <summary>Loopback ports free right now, for silos, gateways and web endpoints started by a test.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
