using System.ComponentModel;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Runtimes;
using Berth.Server.Security;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>The agent tools: what runs, and (for operators) deploying, starting, stopping and removing it.</summary>
[McpServerToolType]
internal sealed class AgentTools(AgentCommands commands, IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes)
{
    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists every agent Berth runs, with its state, ready replicas, runtime and the proxy path to call it at.")]
    public async Task<AgentList> ListAgentsAsync(CancellationToken cancellationToken)
    {
        var all = await agents.ListAsync(cancellationToken);
        var byAgent = (await instances.ListAsync(null, cancellationToken)).ToLookup(i => i.AgentName, StringComparer.Ordinal);
        return new AgentList(all.Select(a => AgentViews.ToView(a, byAgent[a.Name].ToList(), runtimes)).ToList());
    }

    [McpServerTool(Name = "get_agent", Title = "Get an agent", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Shows one agent: its desired spec, state and instances (each with its health and restarts).")]
    public async Task<AgentView> GetAgentAsync([Description("The agent's name (metadata.name of its spec).")] string name, CancellationToken cancellationToken) =>
        ToolFailure.OrThrow(await commands.ViewAsync(name, cancellationToken), () => Problems.Problems.AgentNotFound(name));

    [McpServerTool(Name = "start_agent", Title = "Start an agent", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Starts a stopped agent: Berth launches its replicas and probes them until they are healthy. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<AgentView> StartAgentAsync([Description("The agent's name.")] string name, CancellationToken cancellationToken) =>
        ToolFailure.Unwrap(await commands.SetDesiredAsync(name, DesiredState.Running, cancellationToken));
}

/// <summary>The answer of <c>list_agents</c>: structured content must be an object, so the list has a name.</summary>
internal sealed record AgentList(IReadOnlyList<AgentView> Agents);
