using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Server.Problems;
using Berth.Server.Security;
using Berth.Server.Workflows.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Workflows.Api;

/// <summary>The <c>/api/v1/workflows</c> routes: apply, list, get, delete, and start a run (the webhook trigger).</summary>
internal static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this RouteGroupBuilder api)
    {
        var workflows = api.MapGroup("/workflows").WithTags("Workflows").RequireAuthorization(BerthPolicies.Viewer);
        var changes = workflows.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        workflows.MapGet("/", async (IWorkflowStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct))).WithName("ListWorkflows");
        workflows.MapGet("/{name}", GetAsync).WithName("GetWorkflow");
        changes.MapPut("/{name}", ApplyAsync).WithName("ApplyWorkflow")
            .Accepts<JsonObject>(SpecBody.MediaTypes[0], SpecBody.MediaTypes[1..])
            .WithDescription("Body: a kind: Workflow document (apiVersion, kind, metadata.name, spec), the same YAML or JSON that berth apply reads.");
        changes.MapDelete("/{name}", DeleteAsync).WithName("DeleteWorkflow");
        changes.MapPost("/{name}/runs", StartAsync).WithName("StartRun").Accepts<StartRunRequest>("application/json");
        return api;
    }

    private static async Task<Results<Ok<WorkflowRecord>, ProblemHttpResult>> GetAsync(string name, IWorkflowStore store, CancellationToken ct) =>
        await store.GetAsync(name, ct) is { } workflow ? TypedResults.Ok(workflow) : Problems.Problems.WorkflowNotFound(name);

    private static async Task<Results<Created<WorkflowApplyResponse>, Ok<WorkflowApplyResponse>, ProblemHttpResult>> ApplyAsync(
        string name, HttpRequest request, WorkflowCommands commands, CancellationToken ct)
    {
        var (spec, invalid) = await SpecBody.ReadAsync<WorkflowSpec>(request, name, "Workflow", s => s.Name, null, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var (response, problem) = await commands.ApplyAsync(spec!, ct);
        if (problem is not null)
        {
            return problem;
        }

        return response!.Outcome == ApplyOutcome.Created ? TypedResults.Created($"/api/v1/workflows/{name}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, IWorkflowStore store, WorkflowChanges changes, CancellationToken ct)
    {
        if (!await store.DeleteAsync(name, ct))
        {
            return Problems.Problems.WorkflowNotFound(name);
        }

        changes.Raise(name, listChanged: true);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<RunView>, ProblemHttpResult>> StartAsync(
        string name, HttpRequest request, ClaimsPrincipal user, WorkflowRuns runs, CancellationToken ct)
    {
        StartRunRequest? body = null;
        if (request.ContentLength is not 0)
        {
            try
            {
                body = await JsonSerializer.DeserializeAsync<StartRunRequest>(request.Body, BerthJson.Options, ct);
            }
            catch (JsonException ex)
            {
                return Problems.Problems.InvalidJson(ex, "body");
            }
        }

        var started = await runs.StartAsync(name, body?.Inputs, user.Identity?.Name ?? "unknown", ct);
        return started.Result is Ok<RunView> { Value: { } run }
            ? TypedResults.Created($"/api/v1/runs/{run.Id}", run)
            : (ProblemHttpResult)started.Result;
    }
}
