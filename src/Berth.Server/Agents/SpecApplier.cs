using Berth.Client.Contracts;
using Berth.Core.Specs;
using Berth.Server.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Agents;

/// <summary>
/// Applies a text of one or more spec documents of any kind (what <c>berth apply -f</c> reads), all or nothing as far as
/// checking goes: the text is read by the one spec reader, then every document is checked against the server
/// (<see cref="AgentApplyChecks"/>, <see cref="WorkflowCommands.CheckAsync"/>), and only when all pass is each stored: topics,
/// agents, subscriptions, then workflows, so a subscription finds its topic and a workflow its agents and trigger topic (the
/// order <c>berth apply -f</c> uses). Used by the MCP <c>apply</c> tool.
/// </summary>
internal sealed class SpecApplier(AgentCommands agents, AgentApplyChecks agentChecks, WorkflowCommands workflows, Messaging.MessagingCommands messaging)
{
    /// <summary>The longest text read: 1 MiB of characters (an MCP argument is held in memory whole).</summary>
    public const int MaxTextLength = 1024 * 1024;

    /// <summary>The most documents one text may hold: 100.</summary>
    public const int MaxDocuments = 100;

    /// <summary>
    /// The outcome of each document in order (agents first), or the problem that stopped the apply with the documents stored
    /// before it (none unless someone else changed the server between the checks and the stores).
    /// </summary>
    public async Task<(IReadOnlyList<AppliedDocument> Applied, ProblemHttpResult? Problem)> ApplyAsync(string text, CancellationToken ct)
    {
        if (text.Length > MaxTextLength)
        {
            return ([], Problems.Problems.BadRequest(
                $"The specs are {text.Length} characters long; at most {MaxTextLength} are read at once. Split them, or apply the file with 'berth apply -f'."));
        }

        // The server reads no environment: a ${VAR} is an error telling the author to substitute it on the client.
        var set = SpecReader.Read(text, new SpecReadOptions { Environment = null, SourceName = "yaml", ValidationContext = agents.ValidationContext });
        if (!set.IsValid)
        {
            return ([], Problems.Problems.Validation(set.Errors));
        }

        if (set.Resources.Count > MaxDocuments)
        {
            return ([], Problems.Problems.BadRequest($"The specs hold {set.Resources.Count} documents; at most {MaxDocuments} are applied at once. Split them."));
        }

        if (set.Plugins.Count > 0)
        {
            return ([], Problems.Problems.BadRequest(
                $"The specs hold a kind: Plugin document ('{set.Plugins[0].Name}'); a plugin is installed with its folder, which holds its code: 'berth plugins install DIR' (POST /api/v1/plugins)."));
        }

        var prefixed = set.Resources.Count > 1;
        if (await agentChecks.CheckAsync(set.Agents, prefixed, ct) is { } agentProblem)
        {
            return ([], agentProblem);
        }

        if (await workflows.CheckAsync(set.Workflows, prefixed, ct) is { } workflowProblem)
        {
            return ([], workflowProblem);
        }

        return await StoreAsync(set, ct);
    }

    // Each apply checks again under its own lock; only a change made by someone else since the check above can stop one now.
    private async Task<(IReadOnlyList<AppliedDocument>, ProblemHttpResult?)> StoreAsync(SpecSet set, CancellationToken ct)
    {
        var applied = new List<AppliedDocument>();
        foreach (var spec in set.Topics)
        {
            var response = await messaging.ApplyTopicAsync(spec, ct);
            applied.Add(new AppliedDocument("Topic", spec.Name, response.Outcome));
        }

        foreach (var spec in set.Agents)
        {
            var (response, problem) = await agents.ApplyAsync(spec, ct);
            if (problem is not null)
            {
                return (applied, problem);
            }

            applied.Add(new AppliedDocument("Agent", spec.Name, response!.Outcome));
        }

        foreach (var spec in set.Subscriptions)
        {
            var (response, problem) = await messaging.ApplySubscriptionAsync(spec, ct);
            if (problem is not null)
            {
                return (applied, problem);
            }

            applied.Add(new AppliedDocument("Subscription", spec.Name, response!.Outcome));
        }

        foreach (var spec in set.Workflows)
        {
            var (response, problem) = await workflows.ApplyAsync(spec, ct);
            if (problem is not null)
            {
                return (applied, problem);
            }

            applied.Add(new AppliedDocument("Workflow", spec.Name, response!.Outcome));
        }

        return (applied, null);
    }
}
