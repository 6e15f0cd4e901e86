using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Protocols;

/// <summary>WebSocket through the proxy to a real ASP.NET Core agent (tests/agents/ws-agent) run as a process agent.</summary>
public sealed class WebSocketProxyTests : IAsyncLifetime
{
    private readonly string _name = $"w{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Proxy_WebSocketToAgentWithPersistenceOn_EchoesBothWaysAndIsNotJournaled()
    {
        await ApplyAsync();
        using (var plain = await _server.Http.GetAsync($"/agents/{_name}/health", TestTimeouts.Token()))
        {
            plain.StatusCode.ShouldBe(HttpStatusCode.OK, "a plain request, which the journal keeps");
        }

        using var socket = await ConnectAsync(_server.AdminToken, header: ("X-Test", "through-berth"));

        (await ExchangeAsync(socket, "hello")).ShouldBe("echo: hello");
        var large = await ExchangeAsync(socket, new string('x', 100_000));
        (large == "echo: " + new string('x', 100_000)).ShouldBeTrue($"a 100 kB message, fragmented on the way, came back as {large.Length} characters");
        (await ExchangeAsync(socket, "headers")).ShouldBe($"x-test=through-berth authorization= xfprefix=/agents/{_name}");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", TestTimeouts.Token());
        socket.CloseStatus.ShouldBe(WebSocketCloseStatus.NormalClosure);

        var journal = await _server.Http.GetFromJsonAsync<List<RequestView>>($"/api/v1/requests?agent={_name}", BerthJson.Options, TestTimeouts.Token());
        journal.ShouldNotBeNull().Select(r => r.Target).ShouldBe(["/health"], "the upgrade is a stream: only the plain request is stored");
    }

    [Fact]
    public async Task Proxy_AgentRestartedMidConnection_ClientSeesTheCloseAndANewConnectionReachesTheNewProcess()
    {
        await ApplyAsync();
        using var first = await ConnectAsync(_server.AdminToken);
        var pid = int.Parse((await ExchangeAsync(first, "whoami"))["pid ".Length..], System.Globalization.CultureInfo.InvariantCulture);

        Process.GetProcessById(pid).Kill();

        var closed = await ReceiveUntilClosedAsync(first);
        closed.ShouldBeTrue("the client must learn that the agent went away");
        await _server.WaitForAsync(_name, v => v.State == AgentState.Running && v.Instances.Single().RestartCount == 1);
        // The store shows the instance running a moment before the reconciler publishes its route (later in the same step,
        // after the instance's event is written), so a first handshake may still be answered 503.
        using var second = (await Eventually.MatchAsync(
            _ => ConnectUnlessUnavailableAsync(_server.AdminToken), socket => socket is not null, "a WebSocket handshake to the restarted agent"))!;
        var answer = await ExchangeAsync(second, "whoami");
        answer.ShouldStartWith("pid ");
        answer.ShouldNotBe($"pid {pid}");
        (await ExchangeAsync(second, "again")).ShouldBe("echo: again");
    }

    [Fact]
    public async Task Proxy_WebSocketWithoutToken_Is401BeforeAnyUpgrade()
    {
        await ApplyAsync();

        var status = await RefusedStatusAsync(token: null);

        status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Proxy_WebSocketFromAgentWithoutAccess_Is403BeforeAnyUpgrade()
    {
        await ApplyAsync();
        var stranger = await AgentTokens.CreateAsync(_server, $"s{Guid.NewGuid():N}"[..12], mayCall: null);

        var status = await RefusedStatusAsync(stranger);

        status.ShouldBe(HttpStatusCode.Forbidden);
    }

    private async Task ApplyAsync()
    {
        var dll = await TestAgentBuild.DllAsync("ws-agent", "WsAgent.csproj", "ws-agent");
        var spec = new AgentSpec
        {
            Name = _name,
            Process = new ProcessSpec { Command = TestAgentBuild.Dotnet, Args = [dll] },
            Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
            Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(1) },
        };
        using var applied = await _server.ApplyAsync(spec);
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        await _server.WaitRunningAsync(_name);
    }

    private async Task<ClientWebSocket> ConnectAsync(string? token, (string Name, string Value)? header = null)
    {
        var socket = NewSocket(token, header);
        await socket.ConnectAsync(AgentSocketUri, TestTimeouts.Token());
        return socket;
    }

    /// <summary>The open socket, or null when the proxy answered the handshake 503 (no healthy instance routed yet).</summary>
    private async Task<ClientWebSocket?> ConnectUnlessUnavailableAsync(string token)
    {
        var socket = NewSocket(token);
        try
        {
            await socket.ConnectAsync(AgentSocketUri, TestTimeouts.Token());
            return socket;
        }
        catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.ServiceUnavailable)
        {
            socket.Dispose();
            return null;
        }
    }

    private async Task<HttpStatusCode> RefusedStatusAsync(string? token)
    {
        using var socket = NewSocket(token);
        await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(AgentSocketUri, TestTimeouts.Token()));
        socket.State.ShouldNotBe(WebSocketState.Open);
        return socket.HttpStatusCode;
    }

    private Uri AgentSocketUri => new($"ws://{_server.Server.Address.Authority}/agents/{_name}/ws");

    private static ClientWebSocket NewSocket(string? token, (string Name, string Value)? header = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        if (header is { } h)
        {
            socket.Options.SetRequestHeader(h.Name, h.Value);
        }

        return socket;
    }

    private static async Task<string> ExchangeAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestTimeouts.Token());
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, TestTimeouts.Token());
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray());
    }

    // True once the connection ends, by a close frame or by the transport breaking; false if a message arrives instead.
    private static async Task<bool> ReceiveUntilClosedAsync(ClientWebSocket socket)
    {
        try
        {
            var received = await socket.ReceiveAsync(new byte[1024], TestTimeouts.Token());
            return received.MessageType == WebSocketMessageType.Close;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }
}
