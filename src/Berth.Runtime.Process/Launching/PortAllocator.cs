using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Process.Launching;

/// <summary>Finds a free loopback port by letting the kernel pick one for a moment.</summary>
internal static class PortAllocator
{
    public static int AllocateLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
