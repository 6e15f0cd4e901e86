using System.Net;
using System.Security.Authentication;
using Berth.Client;
using Berth.Client.Tls;
using Berth.Testing;
using Berth.Testing.Tls;

namespace Berth.Server.Tests.Transport;

/// <summary>A real server on https://127.0.0.1 with a certificate from a CA made at test time.</summary>
public sealed class TlsServerTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    public void Dispose() => _tls.Dispose();

    [Fact]
    public async Task StartAsync_PemCertificateAndKey_ClientTrustingTheCaReachesTheApi()
    {
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var http = _tls.CreateTrustingClient(server);

        var health = await http.GetAsync("/healthz", TestTimeouts.Token());
        var agents = await http.GetAsync("/api/v1/agents", TestTimeouts.Token());

        server.Address.Scheme.ShouldBe("https");
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        agents.StatusCode.ShouldBe(HttpStatusCode.OK, await agents.Content.ReadAsStringAsync(TestTimeouts.Token()));
        (await agents.Content.ReadAsStringAsync(TestTimeouts.Token())).Trim().ShouldBe("[]");
        server.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task StartAsync_Pfx_ClientTrustingTheCaReachesTheApi()
    {
        await using var server = await _tls.StartServerAsync(
            "https://127.0.0.1:0", "--tls-cert", _tls.Pfx, $"--Berth:Tls:Password={TlsMaterial.PfxPassword}");
        using var http = _tls.CreateTrustingClient(server);

        var agents = await http.GetAsync("/api/v1/agents", TestTimeouts.Token());

        agents.StatusCode.ShouldBe(HttpStatusCode.OK, await agents.Content.ReadAsStringAsync(TestTimeouts.Token()));
    }

    [Fact]
    public async Task StartAsync_EncryptedPemKeyWithPassword_ServesHttps()
    {
        using var certificate = _tls.Authority.IssueServerCertificate(rsa: true);
        var cert = TestCertificateAuthority.WriteCertificatePem(certificate, _tls.PathOf("rsa.pem"));
        var key = TestCertificateAuthority.WriteKeyPem(certificate, _tls.PathOf("rsa.key"), "key-secret");
        await using var server = await _tls.StartServerAsync(
            "https://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--Berth:Tls:Password=key-secret");
        using var http = _tls.CreateTrustingClient(server);

        var health = await http.GetAsync("/healthz", TestTimeouts.Token());

        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StartAsync_CertificateAndKeyInOneFile_ServesHttps()
    {
        var combined = _tls.PathOf("combined.pem");
        await File.WriteAllTextAsync(combined, await File.ReadAllTextAsync(_tls.CertificatePem) + "\n" + await File.ReadAllTextAsync(_tls.KeyPem));
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", combined);
        using var http = _tls.CreateTrustingClient(server);

        var health = await http.GetAsync("/healthz", TestTimeouts.Token());

        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Https_ClientWithoutTheCa_FailsCertificateValidation()
    {
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var http = new HttpClient { BaseAddress = server.Address };

        var error = await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("/healthz", TestTimeouts.Token()));

        error.HttpRequestError.ShouldBe(HttpRequestError.SecureConnectionError);
        error.InnerException.ShouldBeOfType<AuthenticationException>();
    }

    [Fact]
    public async Task Https_ClientTrustingAnotherCa_FailsCertificateValidation()
    {
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var otherCa = TestCertificateAuthority.Create("Other CA");
        using var http = new HttpClient(ServerCertificateTrust.CreateHandler([otherCa.Certificate])) { BaseAddress = server.Address };

        var error = await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("/healthz", TestTimeouts.Token()));

        error.HttpRequestError.ShouldBe(HttpRequestError.SecureConnectionError);
    }

    [Fact]
    public async Task Https_CertificateForAnotherHost_FailsEvenWithTheCa()
    {
        using var certificate = _tls.Authority.IssueServerCertificate(hosts: ["berth.example.test"]);
        var cert = TestCertificateAuthority.WriteCertificatePem(certificate, _tls.PathOf("other-host.pem"));
        var key = TestCertificateAuthority.WriteKeyPem(certificate, _tls.PathOf("other-host.key"));
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key);
        using var http = _tls.CreateTrustingClient(server);

        var error = await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("/healthz", TestTimeouts.Token()));

        error.HttpRequestError.ShouldBe(HttpRequestError.SecureConnectionError);
    }

    [Fact]
    public async Task PlainHttp_ToTheTlsPort_GetsNoAnswer()
    {
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var http = _tls.Authorize(new HttpClient { Timeout = TestTimeouts.Quick });
        var plain = new UriBuilder(server.Address) { Scheme = Uri.UriSchemeHttp }.Uri;

        HttpStatusCode? status = null;
        try
        {
            using var response = await http.GetAsync(new Uri(plain, "healthz"), TestTimeouts.Token());
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The expected outcome: the TLS listener drops a connection that does not start with a handshake.
        }

        status.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BerthClient_WithTrustHandler_ListsAgentsOverHttps()
    {
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var client = new BerthClient(_tls.Authorize(new HttpClient(ServerCertificateTrust.CreateHandler(ServerCertificateTrust.LoadCaCertificates(_tls.CaPem)))
        {
            BaseAddress = server.Address,
        }));

        var agents = await client.ListAgentsAsync(TestTimeouts.Token());

        agents.ShouldBeEmpty();
    }
}
