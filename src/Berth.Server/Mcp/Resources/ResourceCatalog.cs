using System.Globalization;
using Berth.Core.Storage;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp.Resources;

/// <summary>
/// What <c>resources/list</c> and <c>resources/templates/list</c> answer: every agent (its view and its logs), every workflow
/// and the latest <see cref="RecentRuns"/> runs, in pages of <see cref="PageSize"/>; and the four URI templates. The cursor is
/// the position of the next page, so a list that changes between pages may repeat or skip an entry (a client that cares
/// re-lists on <c>notifications/resources/list_changed</c>).
/// </summary>
internal sealed class ResourceCatalog(IAgentStore agents, IWorkflowStore workflows, IRunStore runs)
{
    public const int RecentRuns = 50;
    public const int PageSize = 100;

    /// <summary>Templates change only with the server's version; a client may keep them for an hour.</summary>
    private static readonly TimeSpan TemplatesTimeToLive = TimeSpan.FromHours(1);

    private static readonly IReadOnlyList<ResourceTemplate> Templates =
    [
        new() { UriTemplate = "berth://agents/{name}", Name = "agent", Title = "Agent", MimeType = ResourceReader.Json,
            Description = "An agent as GET /api/v1/agents/{name} shows it: spec, state, replicas and instances with their health. Subscribe to be told when it changes." },
        new() { UriTemplate = "berth://agents/{name}/logs", Name = "agent-logs", Title = "Agent logs", MimeType = ResourceReader.Text,
            Description = $"The agent's last {AgentLogText.Lines} log lines (at most {AgentLogText.MaxBytes / 1024} KiB) across its instances, oldest first: time, instance, stream, line." },
        new() { UriTemplate = "berth://workflows/{name}", Name = "workflow", Title = "Workflow", MimeType = ResourceReader.Json,
            Description = "A workflow as GET /api/v1/workflows/{name} shows it: its spec (inputs, steps) and generation." },
        new() { UriTemplate = "berth://runs/{id}", Name = "run", Title = "Workflow run", MimeType = ResourceReader.Json,
            Description = "A run as GET /api/v1/runs/{id} shows it: state, inputs, error and every step with its state, outputs and failure. Subscribe to follow it." },
    ];

    public static ListResourceTemplatesResult ListTemplates() =>
        new() { ResourceTemplates = [.. Templates], TimeToLive = TemplatesTimeToLive, CacheScope = CacheScope.Private };

    public async Task<ListResourcesResult> ListAsync(string? cursor, CancellationToken cancellationToken)
    {
        var start = 0;
        if (cursor is not null && !(int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start) && start < 1_000_000))
        {
            throw new McpProtocolException("Invalid cursor: pass back the nextCursor of the previous resources/list page, or none for the first page.", McpErrorCode.InvalidParams);
        }

        var all = await AllAsync(cancellationToken);
        var page = all.Skip(start).Take(PageSize).ToList();
        return new ListResourcesResult
        {
            Resources = page,
            NextCursor = start + PageSize < all.Count ? (start + PageSize).ToString(CultureInfo.InvariantCulture) : null,
            TimeToLive = TimeSpan.Zero,
            CacheScope = CacheScope.Private,
        };
    }

    private async Task<List<Resource>> AllAsync(CancellationToken cancellationToken)
    {
        var list = new List<Resource>();
        foreach (var agent in await agents.ListAsync(cancellationToken))
        {
            list.Add(new Resource
            {
                Uri = BerthResourceUri.Agent(agent.Name), Name = agent.Name, Title = $"Agent {agent.Name}", MimeType = ResourceReader.Json,
                Description = $"Agent {agent.Name} ({agent.Spec.Kind.ToString().ToLowerInvariant()}, desired {agent.DesiredState.ToString().ToLowerInvariant()}).",
            });
            list.Add(new Resource
            {
                Uri = BerthResourceUri.AgentLogs(agent.Name), Name = $"{agent.Name}-logs", Title = $"Logs of agent {agent.Name}", MimeType = ResourceReader.Text,
                Description = $"The last {AgentLogText.Lines} log lines of agent {agent.Name}.",
            });
        }

        foreach (var workflow in await workflows.ListAsync(cancellationToken))
        {
            list.Add(new Resource
            {
                Uri = BerthResourceUri.Workflow(workflow.Name), Name = workflow.Name, Title = $"Workflow {workflow.Name}", MimeType = ResourceReader.Json,
                Description = $"Workflow {workflow.Name}: {workflow.Spec.Steps.Count} steps, generation {workflow.Generation}.",
            });
        }

        foreach (var run in await runs.ListAsync(null, null, RecentRuns, cancellationToken))
        {
            list.Add(new Resource
            {
                Uri = BerthResourceUri.Run(run.Id), Name = $"run-{run.Id}", Title = $"Run {run.Id} of {run.WorkflowName}", MimeType = ResourceReader.Json,
                Description = $"Run {run.Id} of workflow {run.WorkflowName}: {run.State.ToString().ToLowerInvariant()}, started {run.CreatedAt:u}.",
            });
        }

        return list;
    }
}
