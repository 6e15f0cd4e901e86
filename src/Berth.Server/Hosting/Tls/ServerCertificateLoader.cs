using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Server.Hosting.Tls;

/// <summary>
/// Loads the server certificate named by <c>Berth:Tls</c> and checks it before Kestrel sees it,
/// so a wrong path, a key of another certificate or an expired certificate stops the start with a
/// sentence naming the setting to fix instead of a handshake failure on the first request.
/// </summary>
internal static class ServerCertificateLoader
{
    public const string CertificateSetting = "Berth:Tls:Certificate (--tls-cert, BERTH_TLS_CERT)";
    public const string KeySetting = "Berth:Tls:Key (--tls-key, BERTH_TLS_KEY)";
    public const string PasswordSetting = "Berth:Tls:Password (BERTH_TLS_PASSWORD)";

    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>Loads the certificate with its private key, and the rest of its chain (intermediates) when the file holds one.</summary>
    public static ServerCertificate Load(BerthOptions.TlsSettings settings, TimeProvider time)
    {
        var certificatePath = ResolvePath(settings.Certificate!);
        if (!File.Exists(certificatePath))
        {
            throw new BerthServerStartException(
                $"{CertificateSetting} names {certificatePath}, which does not exist; point it at a PEM certificate chain or a .pfx/.p12 file");
        }

        string? keyPath = null;
        if (!string.IsNullOrWhiteSpace(settings.Key))
        {
            keyPath = ResolvePath(settings.Key);
            if (!File.Exists(keyPath))
            {
                throw new BerthServerStartException($"{KeySetting} names {keyPath}, which does not exist; point it at the certificate's PEM private key");
            }
        }

        var password = string.IsNullOrEmpty(settings.Password) ? null : settings.Password;
        var loaded = IsPem(certificatePath)
            ? LoadPem(certificatePath, keyPath, password)
            : LoadPkcs12(certificatePath, password);
        try
        {
            CheckValidity(loaded.Leaf, certificatePath, time);
            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static ServerCertificate LoadPem(string certificatePath, string? keyPath, string? password)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(certificatePath);
        }
        catch (CryptographicException exception)
        {
            throw new BerthServerStartException($"{CertificateSetting} ({certificatePath}) is not a readable PEM certificate: {exception.Message}", exception);
        }

        try
        {
            if (chain.Count == 0)
            {
                throw new BerthServerStartException($"{CertificateSetting} ({certificatePath}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }

            var keyText = File.ReadAllText(keyPath ?? certificatePath);
            var leaf = WithPrivateKey(chain[0], keyText, certificatePath, keyPath, password);
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++)
            {
                intermediates.Add(chain[i]);
            }

            chain[0].Dispose();
            return new ServerCertificate(leaf, intermediates);
        }
        catch
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    private static X509Certificate2 WithPrivateKey(X509Certificate2 certificate, string keyText, string certificatePath, string? keyPath, string? password)
    {
        var keySource = keyPath is null ? $"{CertificateSetting} ({certificatePath})" : $"{KeySetting} ({keyPath})";
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new BerthServerStartException(keyPath is null
                ? $"{CertificateSetting} ({certificatePath}) holds no private key; set {KeySetting} to the PEM file of the certificate's key"
                : $"{keySource} holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }

        var encrypted = keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (encrypted && password is null)
        {
            throw new BerthServerStartException($"The private key in {keySource} is encrypted; set {PasswordSetting}");
        }

        using AsymmetricAlgorithm key = certificate.PublicKey.Oid.Value switch
        {
            RsaOid => RSA.Create(),
            EcOid => ECDsa.Create(),
            var other => throw new BerthServerStartException(
                $"The certificate in {CertificateSetting} ({certificatePath}) has a {certificate.PublicKey.Oid.FriendlyName ?? other} key; use an RSA or ECDSA certificate"),
        };
        try
        {
            if (encrypted)
            {
                key.ImportFromEncryptedPem(keyText, password);
            }
            else
            {
                key.ImportFromPem(keyText);
            }
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            var hint = encrypted ? $"; check {PasswordSetting}" : "";
            throw new BerthServerStartException($"Cannot read the private key in {keySource}: {exception.Message}{hint}", exception);
        }

        try
        {
            return key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                _ => certificate.CopyWithPrivateKey((ECDsa)key),
            };
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new BerthServerStartException(
                $"The private key in {keySource} does not match the certificate in {CertificateSetting} ({certificatePath}); point {KeySetting} at the key the certificate was issued for",
                exception);
        }
    }

    private static ServerCertificate LoadPkcs12(string path, string? password)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException exception)
        {
            throw new BerthServerStartException(
                $"Cannot open {CertificateSetting} ({path}) as a PEM or PKCS#12 (.pfx/.p12) file: {exception.Message}; check the file and {PasswordSetting}",
                exception);
        }

        var leaf = all.FirstOrDefault(c => c.HasPrivateKey);
        if (leaf is null)
        {
            foreach (var certificate in all)
            {
                certificate.Dispose();
            }

            throw new BerthServerStartException($"{CertificateSetting} ({path}) holds no certificate with a private key; export the PKCS#12 file with the key");
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all.Where(c => !ReferenceEquals(c, leaf)))
        {
            intermediates.Add(certificate);
        }

        return new ServerCertificate(leaf, intermediates);
    }

    private static void CheckValidity(X509Certificate2 certificate, string path, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var notAfter = certificate.NotAfter.ToUniversalTime();
        var notBefore = certificate.NotBefore.ToUniversalTime();
        if (now > notAfter)
        {
            throw new BerthServerStartException(
                $"The certificate in {CertificateSetting} ({path}) expired on {notAfter.ToString("u", CultureInfo.InvariantCulture)}; renew it and restart");
        }

        if (now < notBefore)
        {
            throw new BerthServerStartException(
                $"The certificate in {CertificateSetting} ({path}) is not valid until {notBefore.ToString("u", CultureInfo.InvariantCulture)}; check the clock or the certificate");
        }
    }

    private static bool IsPem(string path)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var reader = new StreamReader(path);
        var buffer = new char[4096];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN ", StringComparison.Ordinal);
    }

    private static string ResolvePath(string path)
    {
        var expanded = path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
        return Path.GetFullPath(expanded);
    }
}
