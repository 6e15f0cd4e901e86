using System.Net;
using System.Text.Json.Nodes;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Workflows;

/// <summary>A <c>forEach</c> over more items than the server runs (default 1,000) fails as <c>config</c> before any item runs; a literal list that long is refused when applied.</summary>
public sealed class ForEachLimitTests : IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;
    private WorkflowClient _workflows = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _workflows = new WorkflowClient(_server.Http);
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Run_ForEachOver1001Items_FailsAsConfigNamingTheLimitAndRunsNoItem()
    {
        var name = $"f{Guid.NewGuid():N}"[..12];
        await _workflows.ApplyAsync(name, Workflow(name, ""));

        var run = await _workflows.WaitAsync((await _workflows.StartAsync(name, new JsonObject { ["items"] = Items(1_001) })).Id);
        var small = await _workflows.WaitAsync((await _workflows.StartAsync(name, new JsonObject { ["items"] = Items(2) })).Id);

        run.State.ShouldBe(RunState.Failed);
        var failure = run.Steps!.Single().Failure!;
        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Message.ShouldContain("forEach gave 1001 items, more than the 1000 one step may run (Berth:Workflows:MaxForEachItems)");
        small.State.ShouldBe(RunState.Succeeded, small.Error);
        _agent.Executions.ShouldBe(2, "only the small run's items may have reached the agent");
    }

    [Fact]
    public async Task Apply_ForEachOverADefaultListLongerThanTheLimit_400NamingTheInputAndStoresNothing()
    {
        var name = $"f{Guid.NewGuid():N}"[..12];

        using var response = await _workflows.PutAsync(name, Workflow(name, $", \"default\": {Items(1_001).ToJsonString()}"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadAsStringAsync();
        problem.ShouldContain("spec.inputs.items.default");
        problem.ShouldContain("1001 items");
        problem.ShouldContain("Berth:Workflows:MaxForEachItems");
        (await _server.Http.GetAsync($"/api/v1/workflows/{name}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static JsonArray Items(int count) => new(Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private string Workflow(string name, string inputExtra) => $$$"""
        {"name": "{{{name}}}", "inputs": {"items": {"type": "list"{{{inputExtra}}} } },
         "steps": [{"id": "each", "forEach": "${{ inputs.items }}", "agent": {"name": "{{{_name}}}", "path": "/cgi-bin/count", "body": {"i": "${{ item }}"} } }]}
        """;
}
