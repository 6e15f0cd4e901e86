using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Transport;

/// <summary>Over TLS as over plain HTTP, a header the client's <c>Connection</c> header names is for that hop only.</summary>
public sealed class TlsConnectionHeaderTests : IDisposable
{
    private readonly TlsMaterial _tls = new();
    private readonly BusyboxHttpAgent _agent = new();

    public void Dispose()
    {
        _agent.Dispose();
        _tls.Dispose();
    }

    [Fact]
    public async Task Proxy_OverTls_HeaderNamedByConnection_IsNotForwarded()
    {
        await using var server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem);
        using var http = _tls.CreateTrustingClient(server);
        var name = $"tls{Guid.NewGuid():N}"[..12];
        (await http.PutAsJsonAsync($"/api/v1/agents/{name}", Berth.Core.Specs.SpecDocuments.ToDocument(_agent.Spec(name)), BerthJson.Options, TestTimeouts.Token())).EnsureSuccessStatusCode();
        await WaitRunningAsync(http, name);
        var token = await File.ReadAllTextAsync(Path.Combine(_tls.DataDir, "admin.token"), TestTimeouts.Token());

        var answer = await SendOverTlsAsync(
            server.Address,
            $"GET /agents/{name}/cgi-bin/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token.Trim()}\r\n" +
            "Connection: close, X-Test\r\nX-Test: hop-only\r\n\r\n");

        answer.ShouldStartWith("HTTP/1.1 200", customMessage: answer);
        answer.ShouldContain($"GET /cgi-bin/echo ");
        answer.ShouldNotContain("hop-only");
        await http.DeleteAsync($"/api/v1/agents/{name}?wait=60s", TestTimeouts.Token());
    }

    private async Task<string> SendOverTlsAsync(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestTimeouts.Token());
        var authority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_tls.CaPem, TestTimeouts.Token()));
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = address.Host,
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    CustomTrustStore = { authority },
                },
            },
            TestTimeouts.Token());
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request), TestTimeouts.Token());
        using var reader = new StreamReader(tls, Encoding.UTF8);
        return await reader.ReadToEndAsync(TestTimeouts.Token());
    }

    private static Task<AgentView?> WaitRunningAsync(HttpClient http, string name) =>
        Eventually.MatchAsync(
            token => http.GetFromJsonAsync<AgentView>($"/api/v1/agents/{name}", BerthJson.Options, token),
            agent => agent?.State == AgentState.Running,
            $"agent {name} running");
}
