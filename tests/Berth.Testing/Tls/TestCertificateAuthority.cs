using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Testing.Tls;

/// <summary>A throwaway CA made at test time, issuing server certificates for 127.0.0.1 and localhost.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a CA valid from an hour ago for ten years.</summary>
    public static TestCertificateAuthority Create(string name = "Berth Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Berth Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddHours(-1), now.AddYears(10)));
    }

    /// <summary>
    /// Issues a server certificate (with its private key) for <paramref name="hosts"/> (default 127.0.0.1, ::1 and localhost),
    /// valid from <paramref name="notBefore"/> (default an hour ago) until <paramref name="notAfter"/> (default a year from now).
    /// </summary>
    public X509Certificate2 IssueServerCertificate(
        bool rsa = false,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        IReadOnlyList<string>? hosts = null)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts ?? ["127.0.0.1", "::1", "localhost"])
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsaKey
            ? new CertificateRequest("CN=berth-test-server", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=berth-test-server", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            rsa ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var caKey = Certificate.GetECDsaPrivateKey()!;
        using var issued = request.Create(
            Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? now.AddHours(-1), notAfter ?? now.AddYears(1), serial);
        return key is RSA withRsa ? issued.CopyWithPrivateKey(withRsa) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>Writes the CA certificate as PEM and returns the path.</summary>
    public string WriteCaPem(string path)
    {
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes the certificate as PEM (no key) and returns the path.</summary>
    public static string WriteCertificatePem(X509Certificate2 certificate, string path)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes the certificate's private key as PKCS#8 PEM, encrypted when <paramref name="password"/> is set, and returns the path.</summary>
    public static string WriteKeyPem(X509Certificate2 certificate, string path, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        var pem = password is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        File.WriteAllText(path, pem);
        return path;
    }

    /// <summary>Writes the certificate with its private key as a PKCS#12 file protected by <paramref name="password"/>, and returns the path.</summary>
    public static string WritePfx(X509Certificate2 certificate, string path, string password)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Disposes the CA certificate.</summary>
    public void Dispose() => Certificate.Dispose();
}
