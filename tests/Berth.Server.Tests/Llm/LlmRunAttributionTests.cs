using System.Text.Json.Nodes;
using Berth.Core.Specs;
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
    // An agent that, asked on /ask, makes one chat call through the gateway with the token its caller's step gave it.
    private const string AgentScript = """
        import http.server, json, os, urllib.request

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                token = self.headers.get("Berth-Run-Token") or os.environ["BERTH_TOKEN"]
                body = json.dumps({"model": "fast", "messages": [{"role": "user", "content": "run"}]}).encode()
                call = urllib.request.Request(os.environ["BERTH_URL"] + "/llm/" + os.environ["LLM_ENDPOINT"] + "/v1/chat/completions",
                    data=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                with urllib.request.urlopen(call) as answer:
                    text = answer.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """;

    [Fact]
    public async Task AgentStep_AgentCallsTheGatewayWithItsStepToken_UsageRecordedUnderTheRunAndStep()
    {
        var endpoint = await fixture.OpenAIEndpointAsync(fixture.Primary);
        var agent = $"runner{Guid.NewGuid():N}"[..14];
        var spec = new AgentSpec
        {
            Name = agent,
            Process = new ProcessSpec { Command = "/usr/bin/python3", Args = ["-c", AgentScript] },
            Env = new Dictionary<string, string> { ["LLM_ENDPOINT"] = endpoint },
            Access = new AccessSpec { Models = [endpoint] },
        };
        (await fixture.Server.ApplyAsync(spec)).EnsureSuccessStatusCode();
        await fixture.Server.WaitRunningAsync(agent);
        var workflows = new WorkflowClient(fixture.Server.Http);
        var workflow = $"wf{Guid.NewGuid():N}"[..12];

        var run = await workflows.RunAsync(workflow, $$"""{ "name": "{{workflow}}", "steps": [ { "id": "ask", "agent": { "name": "{{agent}}", "method": "POST", "path": "/ask", "body": {} } } ] }""");

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
