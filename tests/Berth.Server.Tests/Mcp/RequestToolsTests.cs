using System.Security.Claims;
using System.Text.Json;
using Berth.Server.Proxy;
using Berth.Server.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Berth.Server.Tests.Mcp.McpToolsFixture;

namespace Berth.Server.Tests.Mcp;

public sealed class RequestToolsTests(McpToolsFixture fixture) : IClassFixture<McpToolsFixture>
{
    private readonly string _marker = $"m{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task CallAgent_Operator_ReachesTheAgentWithItsHeadersAndBodyButNeverTheCallersToken()
    {
        await using var client = await fixture.OperatorAsync();

        var answer = Structured(await CallAsync(client, "call_agent",
            ("name", fixture.Durable), ("method", "post"), ("path", $"/cgi-bin/env?q={_marker}"),
            ("body", $$"""{"say":"{{_marker}}"}"""), ("headers", new Dictionary<string, string> { ["X-Test"] = "visible" })));

        answer.GetProperty("status").GetInt32().ShouldBe(200);
        answer.GetProperty("bodyEncoding").GetString().ShouldBe("utf-8");
        answer.GetProperty("truncated").GetBoolean().ShouldBeFalse();
        var body = answer.GetProperty("body").GetString()!.Split('\n');
        body.ShouldContain($"agent={fixture.Durable}");
        body.ShouldContain("method=POST");
        body.ShouldContain($"uri=/cgi-bin/env?q={_marker}");
        body.ShouldContain("authorization=");
        body.ShouldContain("test=visible");
        body.ShouldContain("type=application/json");
        body.ShouldContain($$"""body={"say":"{{_marker}}"}""");
        answer.GetProperty("headers").GetProperty("X-Agent").GetString().ShouldBe(fixture.Durable);
        answer.GetProperty("headers").GetProperty("Berth-Request-Id").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task CallAgent_PersistenceOn_IsStoredAsTheCallersRequestAndListed()
    {
        await using var client = await fixture.OperatorAsync();

        var answer = Structured(await CallAsync(client, "call_agent", ("name", fixture.Durable), ("method", "GET"), ("path", $"/cgi-bin/env?{_marker}")));
        var listed = Structured(await CallAsync(client, "list_requests", ("agent", fixture.Durable), ("state", "completed")));

        var id = answer.GetProperty("headers").GetProperty("Berth-Request-Id").GetString();
        var request = listed.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        request.GetProperty("caller").GetString().ShouldBe($"token:{fixture.OperatorTokenId}");
        request.GetProperty("target").GetString().ShouldBe($"/cgi-bin/env?{_marker}");
        request.GetProperty("status").GetInt32().ShouldBe(200);
    }

    [Fact]
    public async Task CallAgent_SameIdempotencyKeyTwice_RunsOnceAndReplaysTheStoredAnswer()
    {
        await using var client = await fixture.OperatorAsync();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = _marker };

        var first = Structured(await CallAsync(client, "call_agent", ("name", fixture.Durable), ("method", "POST"), ("path", "/cgi-bin/env"), ("body", _marker), ("headers", headers)));
        var second = Structured(await CallAsync(client, "call_agent", ("name", fixture.Durable), ("method", "POST"), ("path", "/cgi-bin/env"), ("body", _marker), ("headers", headers)));

        second.GetProperty("body").GetString().ShouldBe(first.GetProperty("body").GetString());
        second.GetProperty("headers").GetProperty("Berth-Replayed").GetString().ShouldBe("true");
        fixture.Served(fixture.Durable).Count(l => l.EndsWith(_marker, StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task CallAgent_AgentStoppedAndNoWait_Answers202AndRequeueDeliversWhatWasStored()
    {
        await using var client = await fixture.OperatorAsync();
        var name = $"s{_marker}";
        (await fixture.Server.ApplyAsync(fixture.Agent.Spec(name))).EnsureSuccessStatusCode();
        await fixture.Server.WaitRunningAsync(name);
        Structured(await CallAsync(client, "stop_agent", ("name", name)));
        await fixture.Server.WaitForAsync(name, v => v.State == Berth.Core.Agents.AgentState.Stopped);

        var queued = Structured(await CallAsync(client, "call_agent", ("name", name), ("method", "POST"), ("path", "/cgi-bin/env"), ("body", _marker),
            ("headers", new Dictionary<string, string> { ["Berth-Wait"] = "0s" })));
        Structured(await CallAsync(client, "start_agent", ("name", name)));

        queued.GetProperty("status").GetInt32().ShouldBe(202);
        var id = JsonDocument.Parse(queued.GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString()!;
        await Eventually.MatchAsync(async _ => Completed(await ListAsync(client, name), id), done => done, "the queued request to be delivered once the agent runs");
        var requeued = Structured(await CallAsync(client, "requeue_request", ("id", id)));
        requeued.GetProperty("state").GetString().ShouldBe("accepted");
        await Eventually.TrueAsync(() => fixture.Served(name).Count(l => l.EndsWith(_marker, StringComparison.Ordinal)) == 2, "the requeued request to run again");
    }

    [Fact]
    public async Task CallAgent_LongAnswer_IsCutAtOneMebibyteAndSaysSo()
    {
        await using var client = await fixture.OperatorAsync();

        var answer = Structured(await CallAsync(client, "call_agent", ("name", fixture.Plain), ("method", "GET"), ("path", "/cgi-bin/big")));

        answer.GetProperty("status").GetInt32().ShouldBe(200);
        answer.GetProperty("truncated").GetBoolean().ShouldBeTrue();
        answer.GetProperty("body").GetString()!.Length.ShouldBe(InProcessProxy.MaxResponseBytes);
    }

    [Fact]
    public async Task CallAgent_BinaryAnswer_IsBase64()
    {
        await using var client = await fixture.OperatorAsync();

        var answer = Structured(await CallAsync(client, "call_agent", ("name", fixture.Plain), ("method", "GET"), ("path", "/cgi-bin/binary")));

        answer.GetProperty("bodyEncoding").GetString().ShouldBe("base64");
        Convert.FromBase64String(answer.GetProperty("body").GetString()!).ShouldBe(new byte[] { 0xFF, 0xFE, 0x00, 0x01 });
    }

    [Theory]
    [InlineData("../api", "GET", "/", null, null, "name must be an agent's name")]
    [InlineData(null, "GE T", "/", null, null, "method must be an HTTP method")]
    [InlineData(null, "GET", "cgi-bin/env", null, null, "path must start with '/'")]
    [InlineData(null, "GET", "/a\r\nX-Evil: 1", null, null, "no control character")]
    [InlineData(null, "GET", "/cgi-bin/../../api/v1/tokens", null, null, "'.' or '..' segment")]
    [InlineData(null, "GET", "/", "Authorization", "Bearer x", "set by Berth's proxy")]
    [InlineData(null, "GET", "/", "Host", "evil.example", "set by Berth's proxy")]
    [InlineData(null, "GET", "/", "X-Forwarded-For", "6.6.6.6", "set by Berth's proxy")]
    [InlineData(null, "GET", "/", "Connection", "close", "describes a connection")]
    [InlineData(null, "GET", "/", "X-Split", "a\r\nX-Evil: 1", "on one line")]
    [InlineData(null, "GET", "/", "X Bad", "1", "is not an HTTP header name")]
    public async Task CallAgent_HostileInput_IsRefusedBeforeTheAgentSeesIt(string? name, string method, string path, string? header, string? value, string message)
    {
        await using var client = await fixture.OperatorAsync();
        var served = fixture.Served(fixture.Durable).Count;
        var headers = header is null ? null : new Dictionary<string, string> { [header] = value! };

        var result = await CallAsync(client, "call_agent", ("name", name ?? fixture.Durable), ("method", method), ("path", path), ("headers", headers));

        result.IsError.ShouldBe(true);
        Text(result).ShouldContain(message);
        fixture.Served(fixture.Durable).Count.ShouldBe(served);
    }

    [Fact]
    public async Task Connect_AgentToken_IsRefusedAtTheEndpoint()
    {
        var token = await AgentTokens.CreateAsync(fixture.Server, $"c{_marker}", mayCall: fixture.Durable);

        var error = await Record.ExceptionAsync(() => McpClients.ConnectAsync(fixture.Server, token));

        error.ShouldNotBeNull();
        error.ToString().ShouldContain("403");
    }

    [Fact]
    public async Task InProcessProxy_AgentTokenOutsideAccessAgents_IsRefusedAndInsideIsServed()
    {
        var token = await AgentTokens.CreateAsync(fixture.Server, $"c{_marker}", mayCall: fixture.Durable);
        var user = await AuthenticateAsync(token);
        var proxy = fixture.Server.Server.Services.GetRequiredService<InProcessProxy>();

        var (refused, problem) = await proxy.CallAsync(Call(fixture.Plain), user, null, TestTimeouts.Token());
        var (served, none) = await proxy.CallAsync(Call(fixture.Durable), user, null, TestTimeouts.Token());

        refused.ShouldBeNull();
        problem!.StatusCode.ShouldBe(403);
        problem.ProblemDetails.Detail!.ShouldContain($"may not call agent '{fixture.Plain}'");
        none.ShouldBeNull();
        served!.Status.ShouldBe(200);
    }

    private static AgentCall Call(string agent) => AgentCall.Create(agent, "GET", "/cgi-bin/env", null, null).Call!;

    // The principal the server's own bearer handler makes of the token, as for a request to /mcp.
    private async Task<ClaimsPrincipal> AuthenticateAsync(string token)
    {
        await using var scope = fixture.Server.Server.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = $"Bearer {token}";
        var result = await context.AuthenticateAsync(BearerTokenHandler.SchemeName);
        result.Succeeded.ShouldBeTrue();
        return result.Principal!;
    }

    private static async Task<JsonElement> ListAsync(ModelContextProtocol.Client.McpClient client, string agent) =>
        Structured(await CallAsync(client, "list_requests", ("agent", agent)));

    private static bool Completed(JsonElement list, string id) =>
        list.GetProperty("requests").EnumerateArray().Any(r => r.GetProperty("id").GetString() == id && r.GetProperty("state").GetString() == "completed");
}
