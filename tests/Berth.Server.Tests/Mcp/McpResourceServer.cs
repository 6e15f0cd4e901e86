using Berth.Client.Contracts;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Server.Tests.Workflows;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// A real server (process runtime) with what the MCP resources show: a running busybox agent, a workflow whose one step calls
/// an agent that does not exist, and a finished (failed) run of it. No Docker needed.
/// </summary>
public sealed class McpResourceServer : IAsyncLifetime
{

    internal TestServer Server { get; private set; } = null!;

    internal BusyboxHttpAgent Agent { get; } = new();

    public string AgentName { get; } = $"r{Guid.NewGuid():N}"[..12];

    public string WorkflowName { get; } = $"w{Guid.NewGuid():N}"[..12];

    internal RunView FailedRun { get; private set; } = null!;

    internal WorkflowClient Workflows => new(Server.Http);

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        (await Server.ApplyAsync(Agent.Spec(AgentName))).EnsureSuccessStatusCode();
        await Server.WaitRunningAsync(AgentName);
        FailedRun = await Workflows.RunAsync(WorkflowName, $$$"""{"name":"{{{WorkflowName}}}","steps":[{"id":"call","agent":{"name":"nobody-here","method":"GET","path":"/"}}]}""");
        FailedRun.State.ShouldBe(RunState.Failed);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Agent.Dispose();
    }
}
