using System.Net.Http.Headers;
using Berth.Client.Tls;
using Berth.Testing;
using Berth.Testing.Tls;
using Microsoft.Data.Sqlite;

namespace Berth.Server.Tests.Transport;

/// <summary>A test CA, a server certificate for 127.0.0.1/localhost written as PEM (certificate and key) and PFX, and a data directory; all deleted on dispose.</summary>
internal sealed class TlsMaterial : IDisposable
{
    public const string PfxPassword = "pfx-secret";

    public TlsMaterial()
    {
        Directory.CreateDirectory(Root);
        Authority = TestCertificateAuthority.Create();
        CaPem = Authority.WriteCaPem(PathOf("ca.pem"));
        using var server = Authority.IssueServerCertificate();
        CertificatePem = TestCertificateAuthority.WriteCertificatePem(server, PathOf("server.pem"));
        KeyPem = TestCertificateAuthority.WriteKeyPem(server, PathOf("server.key"));
        Pfx = TestCertificateAuthority.WritePfx(server, PathOf("server.pfx"), PfxPassword);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"berth-tls-{Guid.NewGuid():N}"[..24]);

    public string DataDir => PathOf("data");

    public TestCertificateAuthority Authority { get; }

    public string CaPem { get; }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    public string Pfx { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Starts a server on <paramref name="url"/> with the process runtime and the given TLS arguments.</summary>
    public Task<BerthServer> StartServerAsync(string url, params string[] tlsArgs) =>
        BerthServer.StartAsync(["--urls", url, "--data-dir", DataDir, "--runtime", "process", .. tlsArgs], TestTimeouts.Token());

    /// <summary>An HTTP client that trusts only this material's CA, carrying the server's admin token when it wrote one.</summary>
    public HttpClient CreateTrustingClient(BerthServer server)
    {
        var handler = ServerCertificateTrust.CreateHandler(ServerCertificateTrust.LoadCaCertificates(CaPem));
        return Authorize(new HttpClient(handler) { BaseAddress = server.Address, Timeout = TestTimeouts.Slow });
    }

    /// <summary>Adds the admin token from the data directory, when the server has authentication and wrote one.</summary>
    public HttpClient Authorize(HttpClient client)
    {
        var tokenFile = Path.Combine(DataDir, "admin.token");
        if (File.Exists(tokenFile))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(tokenFile).Trim());
        }

        return client;
    }

    public void Dispose()
    {
        Authority.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
