using Berth.Testing;
using Berth.Testing.Tls;

namespace Berth.Server.Tests.Transport;

/// <summary>TLS settings that cannot work stop the start with a message naming the setting to fix.</summary>
public sealed class TlsStartupErrorTests : IDisposable
{
    private readonly TlsMaterial _tls = new();

    public void Dispose() => _tls.Dispose();

    private async Task<BerthServerStartException> StartFailsAsync(string url, params string[] tlsArgs) =>
        await Should.ThrowAsync<BerthServerStartException>(() => _tls.StartServerAsync(url, tlsArgs));

    [Fact]
    public async Task StartAsync_KeyFileMissing_NamesTheKeySetting()
    {
        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.PathOf("missing.key"));

        error.Message.ShouldContain("Berth:Tls:Key");
        error.Message.ShouldContain("missing.key");
        error.Message.ShouldContain("does not exist");
    }

    [Fact]
    public async Task StartAsync_CertificateFileMissing_NamesTheCertificateSetting()
    {
        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", _tls.PathOf("missing.pem"));

        error.Message.ShouldContain("Berth:Tls:Certificate");
        error.Message.ShouldContain("does not exist");
    }

    [Fact]
    public async Task StartAsync_HttpUrlWithTls_SaysToUseHttps()
    {
        var error = await StartFailsAsync("http://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);

        error.Message.ShouldContain("Berth:Tls:Certificate");
        error.Message.ShouldContain("https://127.0.0.1:0");
    }

    [Fact]
    public async Task StartAsync_HttpsUrlWithoutCertificate_SaysToSetTheCertificate()
    {
        var error = await StartFailsAsync("https://127.0.0.1:0");

        error.Message.ShouldContain("Berth:Tls:Certificate");
    }

    [Fact]
    public async Task StartAsync_KeyOfAnotherCertificate_SaysTheKeyDoesNotMatch()
    {
        using var other = _tls.Authority.IssueServerCertificate();
        var otherKey = TestCertificateAuthority.WriteKeyPem(other, _tls.PathOf("other.key"));

        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", otherKey);

        error.Message.ShouldContain("does not match");
        error.Message.ShouldContain("Berth:Tls:Key");
    }

    [Fact]
    public async Task StartAsync_PemWithoutKey_SaysToSetTheKey()
    {
        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem);

        error.Message.ShouldContain("holds no private key");
        error.Message.ShouldContain("Berth:Tls:Key");
    }

    [Fact]
    public async Task StartAsync_ExpiredCertificate_SaysItExpired()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = _tls.Authority.IssueServerCertificate(notBefore: now.AddDays(-30), notAfter: now.AddDays(-1));
        var cert = TestCertificateAuthority.WriteCertificatePem(expired, _tls.PathOf("expired.pem"));
        var key = TestCertificateAuthority.WriteKeyPem(expired, _tls.PathOf("expired.key"));

        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key);

        error.Message.ShouldContain("expired");
        error.Message.ShouldContain("Berth:Tls:Certificate");
    }

    [Fact]
    public async Task StartAsync_PfxWithWrongPassword_NamesThePasswordSetting()
    {
        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", _tls.Pfx, "--Berth:Tls:Password=wrong");

        error.Message.ShouldContain("Berth:Tls:Password");
    }

    [Fact]
    public async Task StartAsync_EncryptedKeyWithoutPassword_NamesThePasswordSetting()
    {
        using var certificate = _tls.Authority.IssueServerCertificate();
        var cert = TestCertificateAuthority.WriteCertificatePem(certificate, _tls.PathOf("enc.pem"));
        var key = TestCertificateAuthority.WriteKeyPem(certificate, _tls.PathOf("enc.key"), "key-secret");

        var error = await StartFailsAsync("https://127.0.0.1:0", "--tls-cert", cert, "--tls-key", key);

        error.Message.ShouldContain("encrypted");
        error.Message.ShouldContain("Berth:Tls:Password");
    }

    [Fact]
    public async Task StartAsync_FailedTlsStart_LeavesNoServerListening()
    {
        await StartFailsAsync("http://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);

        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var http = _tls.CreateTrustingClient(server);
        (await http.GetAsync("/healthz", TestTimeouts.Token())).IsSuccessStatusCode.ShouldBeTrue();
    }
}
