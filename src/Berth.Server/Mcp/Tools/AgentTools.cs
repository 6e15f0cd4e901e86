using System.ComponentModel;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Berth.Server.Security;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// The agent tools: what runs and what it logs (any caller), and (for operators) deploying, starting, stopping, restarting
/// and removing it. Each calls the code the API's route calls, so a tool and <c>berth</c> answer alike.
/// </summary>
[McpServerToolType]
internal sealed class AgentTools(
    AgentCommands commands, SpecApplier applier, IAgentStore agents, IInstanceStore instances, RuntimeCatalog runtimes, SecretRedactor redactor, TimeProvider time)
{
    /// <summary>How many log lines <c>agent_logs</c> returns when asked for no number: 100.</summary>
    public const int DefaultTail = 100;

    private static readonly TimeSpan RemoveWait = TimeSpan.FromSeconds(30);

    [McpServerTool(Name = "list_agents", Title = "List agents", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists every agent Berth runs, with its state, ready replicas, runtime and the proxy path to call it at.")]
    public async Task<AgentList> ListAgentsAsync(CancellationToken cancellationToken) =>
        new(await commands.ListViewsAsync(cancellationToken));

    [McpServerTool(Name = "get_agent", Title = "Get an agent", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Shows one agent: its desired spec, state and instances (each with its health and restarts).")]
    public async Task<AgentView> GetAgentAsync([Description("The agent's name (metadata.name of its spec).")] string name, CancellationToken cancellationToken) =>
        ToolFailure.OrThrow(await commands.ViewAsync(name, cancellationToken), () => Problems.Problems.AgentNotFound(name));

    [McpServerTool(Name = "apply", Title = "Apply specs", ReadOnly = false, Idempotent = true, Destructive = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Creates or updates agents and workflows to match YAML (or JSON) spec documents, as 'berth apply -f' does: one or more " +
        "documents separated by '---', each with apiVersion: berth/v1, kind (Agent or Workflow), metadata.name and spec. Every " +
        "document is checked first; if any is invalid, nothing is applied and every error is reported with its path, line and " +
        "column. Agents are applied before workflows. Updating a running agent replaces its instances. ${VAR} is not substituted: " +
        "write values in. At most 1 MiB and 100 documents. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<ApplyResult> ApplyAsync(
        [Description("The spec documents, YAML or JSON, several separated by '---'.")] string yaml, CancellationToken cancellationToken)
    {
        var (applied, problem) = await applier.ApplyAsync(yaml, cancellationToken);
        if (problem is null)
        {
            return new ApplyResult(applied);
        }

        var failure = ToolFailure.From(problem);
        var what = applied.Count == 0
            ? "Nothing was applied."
            : $"Applied before this failed: {string.Join(", ", applied.Select(a => $"{a.Kind.ToLowerInvariant()}/{a.Name} {a.Outcome.ToString().ToLowerInvariant()}"))}.";
        throw new ToolFailure($"{failure.Message}\n{what}", failure.Status);
    }

    [McpServerTool(Name = "remove_agent", Title = "Remove an agent", ReadOnly = false, Idempotent = true, Destructive = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Removes an agent: stops its instances, revokes its tokens and deletes it. Waits up to 30 s; completed is false when removal " +
        "goes on in the background. Stored requests to it are kept until purged. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<RemoveResponse> RemoveAgentAsync([Description("The agent's name.")] string name, CancellationToken cancellationToken) =>
        await commands.RemoveAsync(name, RemoveWait, cancellationToken) is { } completed
            ? new RemoveResponse(name, completed)
            : throw ToolFailure.From(Problems.Problems.AgentNotFound(name));

    [McpServerTool(Name = "start_agent", Title = "Start an agent", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Starts a stopped agent: Berth launches its replicas and probes them until they are healthy. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<AgentView> StartAgentAsync([Description("The agent's name.")] string name, CancellationToken cancellationToken) =>
        ToolFailure.Unwrap(await commands.SetDesiredAsync(name, DesiredState.Running, cancellationToken));

    [McpServerTool(Name = "stop_agent", Title = "Stop an agent", ReadOnly = false, Idempotent = true, Destructive = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Stops an agent: its instances are terminated and it stays stopped (also across server restarts) until started. Requests to " +
        "an agent with persistence on are queued meanwhile. Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<AgentView> StopAgentAsync([Description("The agent's name.")] string name, CancellationToken cancellationToken) =>
        ToolFailure.Unwrap(await commands.SetDesiredAsync(name, DesiredState.Stopped, cancellationToken));

    [McpServerTool(Name = "restart_agent", Title = "Restart an agent", ReadOnly = false, Idempotent = false, Destructive = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Replaces every instance of an agent with a new one (a stopped agent is started). Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<AgentView> RestartAgentAsync([Description("The agent's name.")] string name, CancellationToken cancellationToken) =>
        ToolFailure.Unwrap(await commands.RestartAsync(name, cancellationToken));

    [McpServerTool(Name = "agent_logs", Title = "Read an agent's logs", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Returns an agent's last log lines (stdout and stderr of every instance, merged in time order), as 'berth logs --tail N " +
        "--since D' does; it never follows. Known secret values are replaced with [redacted:NAME].")]
    public async Task<AgentLogLines> AgentLogsAsync(
        [Description("The agent's name.")] string name,
        [Description("How many of the last lines to return, 1 to 10000. Default 100.")] int? tail = null,
        [Description("Only lines since then: a duration ago like 5m, 1h or 7d, or an ISO 8601 time like 2026-01-01T10:00:00Z.")] string? since = null,
        CancellationToken cancellationToken = default)
    {
        if (tail is < 1 or > LogQuery.MaxTail)
        {
            throw new ToolFailure($"tail must be between 1 and {LogQuery.MaxTail} lines; got {tail}.");
        }

        var (source, problem) = await AgentLogSource.ResolveAsync(
            name, tail ?? DefaultTail, since, follow: false, instance: null, agents, instances, runtimes, time, cancellationToken);
        if (problem is not null)
        {
            throw ToolFailure.From(problem);
        }

        // An agent's output goes to Berth's users as written; a model's provider is one more party, so known secrets are hidden from it.
        var lines = await source!.ReadTailAsync(cancellationToken);
        return new AgentLogLines(lines.Select(l => l with { Line = redactor.Redact(l.Line) ?? "" }).ToList());
    }
}

/// <summary>The answer of <c>list_agents</c>: structured content must be an object, so the list has a name.</summary>
internal sealed record AgentList(IReadOnlyList<AgentView> Agents);

/// <summary>The answer of <c>apply</c>: what each document did, in the order applied (agents first).</summary>
internal sealed record ApplyResult(IReadOnlyList<AppliedDocument> Documents);

/// <summary>The answer of <c>agent_logs</c>: the lines, oldest first.</summary>
internal sealed record AgentLogLines(IReadOnlyList<LogEntry> Lines);
