using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Server.Tests.Audit;
using static Berth.Server.Tests.Mcp.McpToolsFixture;

namespace Berth.Server.Tests.Mcp;

public sealed class McpAuditTests(McpToolsFixture fixture) : IClassFixture<McpToolsFixture>
{
    private readonly string _name = $"u{Guid.NewGuid():N}"[..12];

    private readonly string _secretish = $"never-{Guid.NewGuid():N}";

    [Fact]
    public async Task MutatingCalls_Operator_AreAuditedWithIdentifyingArgumentsOnly()
    {
        await using var client = await fixture.OperatorAsync();
        var yaml = $"apiVersion: berth/v1\nkind: Agent\nmetadata:\n  name: {_name}\nspec:\n  process: {{ command: /bin/true }}\n  env: {{ NOTE: {_secretish} }}\n  replicas: 0\n";

        Structured(await CallAsync(client, "apply", ("yaml", yaml)));
        Structured(await CallAsync(client, "call_agent", ("name", fixture.Durable), ("method", "POST"), ("path", $"/cgi-bin/env?{_secretish}"),
            ("body", _secretish), ("headers", new Dictionary<string, string> { ["X-Test"] = _secretish })));

        var records = await AuditRequests.ListAsync(fixture.Server);
        var apply = records.First(r => r.Action == "MCP tools/call apply" && r.Principal == $"token:{fixture.OperatorTokenId}");
        apply.Verb.ShouldBe("mcp.apply");
        apply.Target.ShouldBeNull();
        apply.Status.ShouldBe(200);
        apply.Outcome.ShouldBe("allowed");
        apply.Role.ShouldBe("operator");
        apply.TokenId.ShouldBe(fixture.OperatorTokenId);
        apply.Source.ShouldBe("127.0.0.1");
        var call = records.First(r => r.Action == "MCP tools/call call_agent" && r.Principal == $"token:{fixture.OperatorTokenId}");
        call.Target.ShouldBe($"name={fixture.Durable}");
        call.Verb.ShouldBe("mcp.call_agent");
        JsonSerializer.Serialize(records, BerthJson.Options).ShouldNotContain(_secretish);
    }

    [Fact]
    public async Task MutatingCall_Viewer_IsAuditedAsDenied()
    {
        await using var client = await fixture.ViewerAsync();

        (await CallAsync(client, "stop_agent", ("name", _name))).IsError.ShouldBe(true);

        var record = await AuditRequests.SingleAsync(fixture.Server, "MCP tools/call stop_agent", $"name={_name}");
        record.Status.ShouldBe(403);
        record.Outcome.ShouldBe("denied");
        record.Role.ShouldBe("viewer");
    }

    [Fact]
    public async Task MutatingCall_UnknownAgent_IsAuditedAsFailedWithTheApisStatus()
    {
        await using var client = await fixture.OperatorAsync();

        (await CallAsync(client, "restart_agent", ("name", _name))).IsError.ShouldBe(true);

        var record = await AuditRequests.SingleAsync(fixture.Server, "MCP tools/call restart_agent", $"name={_name}");
        record.Status.ShouldBe(404);
        record.Outcome.ShouldBe("failed");
    }

    [Fact]
    public async Task ReadOnlyCall_IsNotAudited()
    {
        await using var client = await fixture.OperatorAsync();

        (await CallAsync(client, "get_agent", ("name", _name))).IsError.ShouldBe(true);
        (await CallAsync(client, "start_agent", ("name", _name))).IsError.ShouldBe(true);

        var records = await AuditRequests.ListAsync(fixture.Server);
        records.ShouldContain(r => r.Action == "MCP tools/call start_agent" && r.Target == $"name={_name}", "the call after the read is audited");
        records.ShouldNotContain(r => r.Action == "MCP tools/call get_agent");
    }

    [Fact]
    public async Task MutatingCall_HostileName_IsRecordedCleanedAndBounded()
    {
        await using var client = await fixture.OperatorAsync();
        var hostile = _name + "\r\nforged: yes" + new string('x', 500);

        (await CallAsync(client, "stop_agent", ("name", hostile))).IsError.ShouldBe(true);

        var records = await AuditRequests.ListAsync(fixture.Server);
        var record = records.Single(r => r.Action == "MCP tools/call stop_agent" && r.Target!.StartsWith($"name={_name}", StringComparison.Ordinal));
        record.Target!.ShouldNotContain("\n");
        record.Target!.Length.ShouldBeLessThanOrEqualTo("name=".Length + 201);
    }
}
