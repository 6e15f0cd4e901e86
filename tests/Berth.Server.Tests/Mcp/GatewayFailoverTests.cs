using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Berth.Core.Agents;
using Berth.Core.Security;
using Berth.Server.Audit;
using Berth.Server.Mcp;
using Berth.Server.Mcp.Gateway;
using Berth.Server.Proxy;
using Berth.Server.Reconciliation;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// A gateway call whose instance refuses the connection (it died; the health probe has not noticed yet) goes to another
/// healthy replica. The route is held still here, one endpoint with nothing listening and one real MCP agent (the Node
/// server, started directly), so the dead replica is picked and refused every other call.
/// </summary>
public sealed class GatewayFailoverTests : IAsyncLifetime
{
    private readonly int _port = FreePort();
    private Process _agent = null!;

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(GatewayAgents.Node, [GatewayAgents.ScriptPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _agent = Process.Start(start)!;
        using var http = new HttpClient();
        await Eventually.TrueAsync(
            async token =>
            {
                try
                {
                    return (await http.GetAsync(new Uri($"http://127.0.0.1:{_port}/health"), token)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "the MCP agent answers /health");
    }

    public async Task DisposeAsync()
    {
        _agent.Kill(entireProcessTree: true);
        await _agent.WaitForExitAsync(TestTimeouts.Token());
        _agent.Dispose();
    }

    [Fact]
    public async Task CallTool_OneReplicaRefusesTheConnection_EveryCallIsAnsweredByTheOther()
    {
        var dead = new Uri($"http://127.0.0.1:{FreePort()}");
        var live = new Uri($"http://127.0.0.1:{_port}");
        var directory = new InstanceDirectory();
        directory.Publish([new AgentRoute("tools", AgentState.Running, [dead, live], mcpPath: "/mcp")]);
        using var connections = new AgentConnections();
        await using var clients = new GatewayClients(connections, NullLoggerFactory.Instance);
        var log = new AuditLog();
        using var services = new ServiceCollection().AddOptions().Configure<McpSettings>(_ => { }).BuildServiceProvider();
        var caller = new GatewayCaller(
            directory, clients, new GatewayAudit(log, TimeProvider.System, NullLogger<GatewayAudit>.Instance),
            services.GetRequiredService<IOptionsMonitor<McpSettings>>(), TimeProvider.System);
        var tool = new GatewayTool("tools", "echo", new Tool { Name = "tools__echo" });
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "token:op"), new Claim(ClaimTypes.Role, BerthRoles.Operator)], "Bearer"));

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var result = await caller.CallAsync(user, tool, new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["text"] = System.Text.Json.JsonSerializer.SerializeToElement($"call {i}"),
            }, TestTimeouts.Token());
            answers.Add(string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
        }

        answers.ShouldBe(["echo: call 0", "echo: call 1", "echo: call 2", "echo: call 3"]);
        var outcomes = new List<string>();
        while (log.Reader.TryRead(out var item))
        {
            outcomes.Add(item.Record!.Outcome);
        }

        outcomes.ShouldBe(Enumerable.Repeat(AuditOutcomes.Allowed, 4), "one audit record per call, each allowed");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
