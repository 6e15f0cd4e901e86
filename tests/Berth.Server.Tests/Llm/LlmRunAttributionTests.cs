using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Workflows;
using Berth.Testing;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// Attribution to a run: a workflow's agent step gives the agent a token Berth minted for that step (<c>Berth-Run-Token</c>);
/// the LLM calls the agent makes with it are recorded under the run and step, read from the token, not from any header.
/// </summary>
public sealed class LlmRunAttributionTests(LlmGatewayFixture fixture) : IClassFixture<LlmGatewayFixture>
{
    [Fact]
    public async Task AgentStep_AgentCallsTheGatewayWithItsStepToken_UsageRecordedUnderTheRunAndStep()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var agent = await GatewayCallingAgent.DeployAsync(fixture, endpoint);
        var workflows = new WorkflowClient(fixture.Server.Http);
        var workflow = $"wf{Guid.NewGuid():N}"[..12];

        var run = await workflows.RunAsync(workflow, $$"""{ "name": "{{workflow}}", "steps": [ {{GatewayCallingAgent.Step("ask", agent)}} ] }""");

        run.State.ShouldBe(RunState.Succeeded, string.Join("; ", (run.Steps ?? []).Select(s => $"{s.Id}: {s.Failure}")));
        var byRun = await fixture.UsageAsync(agent, by: "run");
        var group = byRun.Groups.ShouldHaveSingleItem();
        (group.Key, group.Calls, group.PromptTokens, group.CompletionTokens).ShouldBe((run.Id, 1L, 21L, 8L));
        var report = await fixture.Server.Http.GetStringAsync($"/api/v1/usage?run={run.Id}&since=1h", TestTimeouts.Token());
        JsonNode.Parse(report)!["total"]!["calls"]!.GetValue<long>().ShouldBe(1);
        using var tokens = await fixture.Server.Http.GetAsync("/api/v1/tokens", TestTimeouts.Token());
        (await tokens.Content.ReadAsStringAsync()).ShouldNotContain($"run {run.Id}", customMessage: "the step's token is deleted once its call returned");
    }
}
