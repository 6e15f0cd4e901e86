using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Client.Tls;

/// <summary>
/// Trust for a Berth server whose TLS certificate was issued by a private CA: the server's chain must
/// end at one of the given CA certificates (the system's CAs are not consulted), and its name must match.
/// </summary>
public static class ServerCertificateTrust
{
    /// <summary>Reads CA certificates from a file: one or more PEM certificates, or a single DER certificate.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CryptographicException">The file holds no certificate.</exception>
    public static X509Certificate2Collection LoadCaCertificates(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CA certificate file {path} does not exist.", path);
        }

        var roots = new X509Certificate2Collection();
        if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            roots.ImportFromPemFile(path);
        }
        else
        {
            roots.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        return roots;
    }

    /// <summary>An HTTP handler that accepts a server certificate only when it chains to one of <paramref name="caCertificates"/>.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2Collection caCertificates)
    {
        ArgumentNullException.ThrowIfNull(caCertificates);
        if (caCertificates.Count == 0)
        {
            throw new ArgumentException("At least one CA certificate is needed.", nameof(caCertificates));
        }

        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Validate(caCertificates, certificate, chain, errors),
            },
        };
    }

    /// <summary>
    /// An HTTP handler that accepts exactly <paramref name="serverCertificate"/> and nothing else, whoever issued it:
    /// for a process that talks to the server it hosts (such as <c>berth server</c> reading its own status).
    /// </summary>
    public static SocketsHttpHandler CreatePinnedHandler(X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        var pinned = serverCertificate.GetCertHash(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pinned),
            },
        };
    }

    /// <summary>
    /// True when <paramref name="certificate"/> names the host (no name mismatch reported in <paramref name="errors"/>)
    /// and builds a chain to one of <paramref name="caCertificates"/>, with intermediates taken from the server's own chain.
    /// </summary>
    public static bool Validate(X509Certificate2Collection caCertificates, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(caCertificates);
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(caCertificates);
        // A private CA publishes no revocation list the client could reach.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2;
        using var owned = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        return custom.Build(leaf ?? owned!);
    }
}
