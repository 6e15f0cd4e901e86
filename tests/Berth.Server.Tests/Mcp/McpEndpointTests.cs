using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Server.Tests.Support;
using Berth.Testing;
using ModelContextProtocol.Client;

namespace Berth.Server.Tests.Mcp;

public sealed class McpEndpointTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";

    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    [InlineData("2026-07-28")]
    public async Task ListAgents_ClientOfEachEra_SeesTheAgentsTheApiShows(string protocolVersion)
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken, protocolVersion);

        var tools = await client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
        var result = await client.CallToolAsync("list_agents", cancellationToken: TestTimeouts.Token());

        client.NegotiatedProtocolVersion.ShouldBe(protocolVersion);
        tools.Select(t => t.Name).ShouldContain("list_agents");
        result.IsError.ShouldNotBe(true);
        result.StructuredContent!.Value.GetProperty("agents").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task GetAgent_UnknownName_IsAToolErrorWithTheCliMessage()
    {
        await using var client = await McpClients.ConnectAsync(Server, Server.AdminToken);

        var result = await client.CallToolAsync("get_agent", new Dictionary<string, object?> { ["name"] = "no-such-agent" }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Agent not found (HTTP 404): No agent named 'no-such-agent'. List agents with 'berth get agents'.");
    }

    [Fact]
    public async Task Post_WithoutToken_Is401NamingTheProtectedResourceDocument()
    {
        using var http = Server.CreateHttp(token: null);

        using var response = await http.SendAsync(McpPost(Initialize), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var expected = $"resource_metadata=\"{Server.Server.Address.GetLeftPart(UriPartial.Authority)}/.well-known/oauth-protected-resource\"";
        response.Headers.WwwAuthenticate.ToString().ShouldContain(expected);
    }

    [Fact]
    public async Task ProtectedResourceDocument_WithoutToken_NamesTheMcpEndpoint()
    {
        using var http = Server.CreateHttp(token: null);

        using var document = JsonDocument.Parse(await http.GetStringAsync("/.well-known/oauth-protected-resource", TestTimeouts.Token()));

        document.RootElement.GetProperty("resource").GetString().ShouldBe($"{Server.Server.Address.GetLeftPart(UriPartial.Authority)}/mcp");
        document.RootElement.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()).ShouldBe(["header"]);
    }

    [Theory]
    [InlineData("evil.example.com", null)]
    [InlineData(null, "http://evil.example.com")]
    public async Task Post_ForeignHostOrOrigin_Is403BeforeAnyToolRuns(string? host, string? origin)
    {
        var request = McpPost(Initialize);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await Server.Http.SendAsync(request, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain("Berth:Mcp:AllowedHosts");
    }

    [Fact]
    public async Task Post_LocalhostOrigin_IsServed()
    {
        var request = McpPost(Initialize);
        request.Headers.Add("Origin", $"http://localhost:{Server.Server.Address.Port}");

        using var response = await Server.Http.SendAsync(request, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ToolsList_Viewer_SeesOnlyReadOnlyTools()
    {
        var viewer = (await Security.TokenRequests.CreateAsync(Server, "viewer")).Token;
        await using var client = await McpClients.ConnectAsync(Server, viewer);

        var tools = await client.ListToolsAsync(cancellationToken: TestTimeouts.Token());
        var call = await client.CallToolAsync("start_agent", new Dictionary<string, object?> { ["name"] = "x" }, cancellationToken: TestTimeouts.Token());

        tools.ShouldNotBeEmpty();
        tools.ShouldAllBe(t => t.ProtocolTool.Annotations!.ReadOnlyHint == true);
        call.IsError.ShouldBe(true);
        Text(call).ShouldContain("operator");
    }

    private static HttpRequestMessage McpPost(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static string Text(ModelContextProtocol.Protocol.CallToolResult result) =>
        string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(b => b.Text));
}
