using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Client.Tls;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Server.Tests.Transport;
using Berth.TestAgents.Grpc;
using Berth.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Berth.Server.Tests.Protocols;

/// <summary>
/// gRPC through the proxy: a gRPC client speaks HTTP/2 to Berth (over TLS, negotiated by ALPN: Kestrel serves only HTTP/1.1
/// on a plain-text port that also takes HTTP/1.1), and Berth speaks h2c to a real Grpc.AspNetCore agent (tests/agents/grpc-agent)
/// declared <c>protocol: http2</c>, whose health is probed in h2c too.
/// </summary>
public sealed class GrpcProxyTests : IAsyncLifetime
{
    private readonly TlsMaterial _tls = new();
    private readonly string _name = $"g{Guid.NewGuid():N}"[..12];
    private BerthServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await _tls.StartServerAsync("https://127.0.0.1:0", "--tls-cert", _tls.CertificatePem, "--tls-key", _tls.KeyPem,
            "--Berth:Reconciler:Interval=00:00:00.250");
        _http = _tls.CreateTrustingClient(_server);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _http.DeleteAsync($"/api/v1/agents/{_name}?wait=60s", TestTimeouts.Token());
        }
        finally
        {
            _http.Dispose();
            await _server.DisposeAsync();
            _tls.Dispose();
        }
    }

    [Fact]
    public async Task Proxy_GrpcUnaryAndServerStreaming_ReachTheH2cAgentAndAreNotJournaled()
    {
        await ApplyAsync();
        using var channel = Channel();
        var client = new Echo.EchoClient(channel);
        var auth = new Metadata { { "authorization", $"Bearer {AdminToken}" } };

        var reply = await client.SayAsync(new SayRequest { Text = "hi" }, auth, cancellationToken: TestTimeouts.Token());
        using var stream = client.Count(new CountRequest { To = 5 }, auth, cancellationToken: TestTimeouts.Token());
        var numbers = new List<int>();
        await foreach (var item in stream.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
        {
            numbers.Add(item.Number);
        }

        reply.Text.ShouldBe("echo: hi");
        reply.Agent.ShouldBe(_name);
        reply.Authorization.ShouldBeEmpty("the caller's Berth token is for Berth alone");
        numbers.ShouldBe([1, 2, 3, 4, 5]);
        stream.GetStatus().StatusCode.ShouldBe(StatusCode.OK, "the agent's grpc-status trailer reached the client");
        var journal = await _http.GetFromJsonAsync<List<RequestView>>($"/api/v1/requests?agent={_name}", BerthJson.Options, TestTimeouts.Token());
        journal.ShouldNotBeNull().ShouldBeEmpty("a gRPC call is a stream: the journal keeps none, though persistence is on");
    }

    [Fact]
    public async Task Proxy_GrpcWithoutToken_IsRefusedBeforeReachingTheAgent()
    {
        await ApplyAsync();
        using var channel = Channel();
        var client = new Echo.EchoClient(channel);

        var refused = await Should.ThrowAsync<RpcException>(() => client.SayAsync(new SayRequest { Text = "hi" }, cancellationToken: TestTimeouts.Token()).ResponseAsync);

        refused.StatusCode.ShouldBe(StatusCode.Unauthenticated);
    }

    private string AdminToken => File.ReadAllText(Path.Combine(_tls.DataDir, "admin.token")).Trim();

    private GrpcChannel Channel()
    {
        var handler = ServerCertificateTrust.CreateHandler(ServerCertificateTrust.LoadCaCertificates(_tls.CaPem));
        return GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { HttpHandler = new AgentPrefix(_name, handler), DisposeHttpClient = true });
    }

    private async Task ApplyAsync()
    {
        var dll = await TestAgentBuild.DllAsync("grpc-agent", "GrpcAgent.csproj", "grpc-agent");
        var spec = new AgentSpec
        {
            Name = _name,
            Protocol = AgentProtocol.Http2,
            Process = new ProcessSpec { Command = TestAgentBuild.Dotnet, Args = [dll] },
            Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        };
        using var applied = await _http.PutAsJsonAsync($"/api/v1/agents/{_name}", SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token());
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        await Eventually.MatchAsync(
            async token => (await _http.GetFromJsonAsync<AgentView>($"/api/v1/agents/{_name}", BerthJson.Options, token))!,
            v => v.State == AgentState.Running,
            last => $"agent {_name} is not running (its /health answers only h2c); last seen {last?.State}: {string.Join(", ", last?.Instances.Select(i => i.Message) ?? [])}");
    }

    /// <summary>gRPC clients ignore a path in the channel address; the proxy's prefix goes in front of every call here.</summary>
    private sealed class AgentPrefix(string agent, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new UriBuilder(uri) { Path = $"/agents/{agent}{uri.AbsolutePath}" }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
