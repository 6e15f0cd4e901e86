using System.Net;
using System.Net.Sockets;

namespace Berth.Cli.Tests.Infrastructure;

internal static class UnusedPort
{
    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
