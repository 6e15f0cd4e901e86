using Berth.Core.Security;
using Berth.Server.Tests.Mcp;
using Berth.Testing;
using ModelContextProtocol.Client;
using static Berth.Server.Tests.Llm.LlmGatewayAccessTests;

namespace Berth.Server.Tests.Llm;

/// <summary>The MCP tool <c>get_usage</c> reports what <c>/api/v1/usage</c> does, to any caller of <c>/mcp</c> (a viewer too).</summary>
public sealed class UsageToolTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    [Fact]
    public async Task GetUsage_ViewerAfterAnAgentsCall_ReportsItsTokensAndCost()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var (agent, token) = await fixture.AgentAsync(endpoint);
        using (var http = fixture.Client(token))
        using (var answered = await http.PostAsync($"/llm/{endpoint}/v1/chat/completions", Chat("fast", "for mcp"), TestTimeouts.Token()))
        {
            answered.EnsureSuccessStatusCode();
        }

        await fixture.UsageAsync(agent);
        var viewer = await Security.TokenRequests.CreateAsync(fixture.Server, BerthRoles.Viewer);
        await using var client = await McpClients.ConnectAsync(fixture.Server, viewer.Token);
        var result = await client.CallToolAsync("get_usage", new Dictionary<string, object?> { ["agent"] = agent, ["since"] = "1h" }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldNotBe(true);
        var total = result.StructuredContent!.Value.GetProperty("total");
        (total.GetProperty("calls").GetInt64(), total.GetProperty("promptTokens").GetInt64(), total.GetProperty("completionTokens").GetInt64()).ShouldBe((1L, 21L, 8L));
        total.GetProperty("cost").GetDecimal().ShouldBe(0.00012625m);
    }

    [Fact]
    public async Task GetUsage_BadGrouping_ToolErrorNamingTheChoices()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Server, fixture.Server.AdminToken);
        var result = await client.CallToolAsync("get_usage", new Dictionary<string, object?> { ["by"] = "planet" }, cancellationToken: TestTimeouts.Token());

        result.IsError.ShouldBe(true);
        string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)).ShouldContain("agent, model, run, workflow, day, endpoint");
    }
}
