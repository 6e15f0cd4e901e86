using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Problems;
using Berth.Server.Reconciliation;
using Berth.Server.Runtimes;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Agents;

/// <summary>The <c>/api/v1/agents</c> routes: list, get, apply, remove, start, stop, restart, logs, events and an on-demand health probe.</summary>
internal static class AgentsApi
{
    private static readonly TimeSpan DefaultRemoveWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRemoveWait = TimeSpan.FromMinutes(5);

    public static RouteGroupBuilder MapAgentsApi(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents").RequireAuthorization(BerthPolicies.Viewer);
        var changes = agents.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        agents.MapGet("/", ListAsync).WithName("ListAgents");
        agents.MapGet("/{name}", GetAsync).WithName("GetAgent");
        changes.MapPut("/{name}", ApplyAsync).WithName("ApplyAgent").Accepts<JsonObject>(SpecBody.MediaTypes[0], SpecBody.MediaTypes[1..])
            .WithDescription("Body: a kind: Agent document (apiVersion, kind, metadata.name, spec), the same YAML or JSON that berth apply reads.");
        changes.MapDelete("/{name}", RemoveAsync).WithName("RemoveAgent");
        changes.MapPost("/{name}/start", (string name, AgentCommands commands, CancellationToken ct) => commands.SetDesiredAsync(name, DesiredState.Running, ct)).WithName("StartAgent");
        changes.MapPost("/{name}/stop", (string name, AgentCommands commands, CancellationToken ct) => commands.SetDesiredAsync(name, DesiredState.Stopped, ct)).WithName("StopAgent");
        changes.MapPost("/{name}/restart", (string name, AgentCommands commands, CancellationToken ct) => commands.RestartAsync(name, ct)).WithName("RestartAgent");
        agents.MapGet("/{name}/logs", AgentLogs.StreamAsync).WithName("AgentLogs").Produces(StatusCodes.Status200OK, contentType: AgentLogs.ContentType);
        agents.MapGet("/{name}/events", EventsAsync).WithName("AgentEvents");
        agents.MapGet("/{name}/health", HealthAsync).WithName("AgentHealth")
            .WithDescription("Runs the agent's health probe now against each instance and answers what each returned; records nothing.");
        return api;
    }

    private static async Task<Ok<List<AgentView>>> ListAsync(AgentCommands commands, CancellationToken ct) =>
        TypedResults.Ok(await commands.ListViewsAsync(ct));

    private static async Task<Results<Ok<AgentView>, ProblemHttpResult>> GetAsync(string name, AgentCommands commands, CancellationToken ct) =>
        await commands.ViewAsync(name, ct) is { } view ? TypedResults.Ok(view) : Problems.Problems.AgentNotFound(name);

    private static async Task<Results<Created<ApplyResponse>, Ok<ApplyResponse>, ProblemHttpResult>> ApplyAsync(
        string name, HttpRequest request, AgentCommands commands, CancellationToken ct)
    {
        var (spec, invalid) = await SpecBody.ReadAsync<AgentSpec>(request, name, "Agent", s => s.Name, commands.ValidationContext, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var outcome = await commands.ApplyAsync(spec!, ct);
        return outcome switch
        {
            { Problem: { } problem } => problem,
            { Response.Outcome: ApplyOutcome.Created } => TypedResults.Created($"/api/v1/agents/{name}", outcome.Response),
            _ => TypedResults.Ok(outcome.Response!),
        };
    }

    private static async Task<Results<Ok<RemoveResponse>, Accepted<RemoveResponse>, ProblemHttpResult>> RemoveAsync(
        string name, string? wait, AgentCommands commands, CancellationToken ct)
    {
        var timeout = DefaultRemoveWait;
        if (wait is not null && (!Duration.TryParse(wait, out timeout) || timeout > MaxRemoveWait))
        {
            return Problems.Problems.BadRequest($"wait must be a duration like 30s, at most {Duration.Format(MaxRemoveWait)}; got '{wait}'.");
        }

        var completed = await commands.RemoveAsync(name, timeout, ct);
        return completed switch
        {
            null => Problems.Problems.AgentNotFound(name),
            true => TypedResults.Ok(new RemoveResponse(name, true)),
            false => TypedResults.Accepted($"/api/v1/agents/{name}", new RemoveResponse(name, false)),
        };
    }

    private static async Task<Results<Ok<AgentHealthReport>, ProblemHttpResult>> HealthAsync(string name, AgentHealthCheck health, CancellationToken ct) =>
        await health.CheckAsync(name, ct) is { } report ? TypedResults.Ok(report) : Problems.Problems.AgentNotFound(name);

    private static async Task<Results<Ok<IReadOnlyList<AgentEvent>>, ProblemHttpResult>> EventsAsync(
        string name, long? after, int? limit, IAgentStore agents, IEventStore events, CancellationToken ct)
    {
        if (await agents.GetAsync(name, ct) is null or { Plugin: not null })
        {
            return Problems.Problems.AgentNotFound(name);
        }

        if (limit is < 1 or > 1000)
        {
            return Problems.Problems.BadRequest("limit must be between 1 and 1000.");
        }

        return TypedResults.Ok(await events.ListAsync(name, after ?? 0, limit ?? 100, ct));
    }
}
