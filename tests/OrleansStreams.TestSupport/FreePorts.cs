using System.Net;
using System.Net.Sockets;

namespace OrleansStreams.TestSupport;

/// <summary>Loopback ports free right now, for silos, gateways and web endpoints started by a test.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
