using System.Security.Cryptography.X509Certificates;

namespace Berth.Server.Hosting.Tls;

/// <summary>The server's certificate with its private key, and the intermediates sent along with it.</summary>
internal sealed class ServerCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates) : IDisposable
{
    public X509Certificate2 Leaf { get; } = leaf;

    public X509Certificate2Collection Intermediates { get; } = intermediates;

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Intermediates)
        {
            certificate.Dispose();
        }
    }
}
