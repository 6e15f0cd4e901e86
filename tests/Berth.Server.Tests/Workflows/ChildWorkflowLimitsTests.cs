using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Workflows;

/// <summary>
/// Workflows that run each other as children, on a real server with a real SQLite store: cycles are refused when applied,
/// chains end at the configured depth, and parents waiting for children leave run slots to unrelated runs.
/// </summary>
public sealed class ChildWorkflowLimitsTests : IAsyncLifetime
{
    // Answers once {root}/open exists; the leaf of a chain holds its run here while the test starts others.
    private const string Block = """
        #!/bin/sh
        while [ ! -e {root}/open ]; do sleep 0.05; done
        printf 'Content-Type: text/plain\r\n\r\nopened\n'
        """;

    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];
    private readonly string _prefix = $"w{Guid.NewGuid():N}"[..8];
    private TestServer _server = null!;
    private WorkflowClient _workflows = null!;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(_agent.Root, "cgi-bin", "block");
        AgentFiles.WriteScript(path, Block.Replace("{root}", _agent.Root, StringComparison.Ordinal));
        _server = await TestServer.StartAsync(extraArgs: ["--Berth:Workflows:MaxChildDepth=2", "--Berth:Workflows:MaxActiveRuns=2"]);
        _workflows = new WorkflowClient(_server.Http);
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_name);
    }

    public async Task DisposeAsync()
    {
        File.WriteAllText(Path.Combine(_agent.Root, "open"), "");
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Apply_ChildWorkflowsCallingEachOther_400NamingTheCycleAndStoresNothing()
    {
        await _workflows.ApplyAsync(N("ra"), Calls("ra", "rb"));

        using var cycle = await _workflows.PutAsync(N("rb"), Calls("rb", "ra"));
        using var self = await _workflows.PutAsync(N("rc"), Calls("rc", "rc"));

        cycle.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await cycle.Content.ReadAsStringAsync();
        problem.ShouldContain("spec.steps[0].workflow.name");
        problem.ShouldContain($"cycle {N("rb")} → {N("ra")} → {N("rb")}");
        self.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await self.Content.ReadAsStringAsync()).ShouldContain("cannot run itself as a child");
        (await _server.Http.GetAsync($"/api/v1/workflows/{N("rb")}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _server.Http.GetAsync($"/api/v1/workflows/{N("rc")}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Run_ChildChainDeeperThanTheLimit_StepFailsAsConfigNamingItAndTheLeafNeverRuns()
    {
        await _workflows.ApplyAsync(N("c3"), Leaf("c3", "/cgi-bin/count"));
        await _workflows.ApplyAsync(N("c2"), Calls("c2", "c3"));
        await _workflows.ApplyAsync(N("c1"), Calls("c1", "c2"));
        await _workflows.ApplyAsync(N("c0"), Calls("c0", "c1"));

        var root = await _workflows.WaitAsync((await _workflows.StartAsync(N("c0"))).Id);

        root.State.ShouldBe(RunState.Failed);
        var runs = await _server.Http.GetFromJsonAsync<List<RunView>>("/api/v1/runs", BerthJson.Options, TestTimeouts.Token());
        runs!.ShouldNotContain(r => r.Workflow == N("c3"), "the child at depth 3 must not have been created");
        var deepest = await _workflows.GetAsync(runs!.Single(r => r.Workflow == N("c2")).Id);
        var failure = deepest.Steps!.Single().Failure!;
        failure.Class.ShouldBe(ErrorClass.Config);
        failure.Message.ShouldContain("3 levels deep, more than the 2 allowed (Berth:Workflows:MaxChildDepth)");
        _agent.Executions.ShouldBe(0);
    }

    [Fact]
    public async Task Run_ParentsWaitingForChildren_LeaveRunSlotsToAnUnrelatedRun()
    {
        await _workflows.ApplyAsync(N("d2"), Leaf("d2", "/cgi-bin/block"));
        await _workflows.ApplyAsync(N("d1"), Calls("d1", "d2"));
        await _workflows.ApplyAsync(N("d0"), Calls("d0", "d1"));
        await _workflows.ApplyAsync(N("u"), Leaf("u", "/cgi-bin/count"));

        var chain = await _workflows.StartAsync(N("d0"));
        var leaf = await WaitForRunAsync(N("d2"));
        await _workflows.WaitForAsync(leaf.Id, r => r.Steps!.Single().State == StepState.Running);
        var unrelated = await _workflows.WaitAsync((await _workflows.StartAsync(N("u"))).Id);
        var chainWhileUnrelatedRan = await _workflows.GetAsync(chain.Id);
        File.WriteAllText(Path.Combine(_agent.Root, "open"), "");
        var finished = await _workflows.WaitAsync(chain.Id);

        unrelated.State.ShouldBe(RunState.Succeeded, unrelated.Error);
        chainWhileUnrelatedRan.State.ShouldBe(RunState.Running, "the chain's leaf was still blocked, so its parents were all waiting");
        finished.State.ShouldBe(RunState.Succeeded, finished.Error);
    }

    private async Task<RunView> WaitForRunAsync(string workflow) =>
        (await Eventually.MatchAsync(
            async token => (await _server.Http.GetFromJsonAsync<List<RunView>>("/api/v1/runs", BerthJson.Options, token))!.FirstOrDefault(r => r.Workflow == workflow),
            run => run is not null,
            $"a run of {workflow}"))!;

    private string N(string name) => $"{_prefix}-{name}";

    private string Calls(string name, string child) =>
        $$$"""{"name": "{{{N(name)}}}", "steps": [{"id": "child", "workflow": {"name": "{{{N(child)}}}"} }]}""";

    private string Leaf(string name, string path) =>
        $$$"""{"name": "{{{N(name)}}}", "steps": [{"id": "call", "agent": {"name": "{{{_name}}}", "path": "{{{path}}}"} }]}""";
}
