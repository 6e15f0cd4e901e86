using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Storage;
using Berth.Server.Workflows.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Workflows.Api;

/// <summary>
/// Starting, reading and cancelling runs as Berth answers them, whoever asks: the REST routes and the MCP tools call these
/// methods, so both validate inputs alike and answer the same problem (which the CLI and the tool error print the same way).
/// </summary>
internal sealed class WorkflowRuns(IWorkflowStore workflows, IRunStore runs, RunCommands commands)
{
    /// <summary>Starts a run of the applied workflow <paramref name="name"/>; unknown inputs, missing required ones and wrong types are refused, each named.</summary>
    public async Task<Results<Ok<RunView>, ProblemHttpResult>> StartAsync(string name, JsonObject? inputs, string startedBy, CancellationToken cancellationToken)
    {
        var workflow = await workflows.GetAsync(name, cancellationToken);
        if (workflow is null)
        {
            return Problems.Problems.WorkflowNotFound(name);
        }

        var (run, errors) = await commands.StartAsync(workflow.Spec, inputs, startedBy, cancellationToken);
        return run is null ? Problems.Problems.Validation(errors) : TypedResults.Ok(RunViews.Created(run));
    }

    /// <summary>The run with every step (state, attempts, outputs, failure).</summary>
    public async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string id, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(RunViews.Detail(run, await runs.GetStepsAsync(id, cancellationToken)))
            : Problems.Problems.RunNotFound(id);

    /// <summary>Cancels the run for <paramref name="by"/>; a finished run is a conflict that says how it ended.</summary>
    public async Task<Results<Ok<RunView>, ProblemHttpResult>> CancelAsync(string id, string by, CancellationToken cancellationToken)
    {
        var outcome = await commands.CancelAsync(id, by, cancellationToken);
        if (outcome == CancelOutcome.NotFound)
        {
            return Problems.Problems.RunNotFound(id);
        }

        var run = (await runs.GetAsync(id, cancellationToken))!;
        return outcome == CancelOutcome.AlreadyFinished
            ? Problems.Problems.Conflict($"Run {id} already finished ({run.State.ToString().ToLowerInvariant()}); there is nothing to cancel.")
            : TypedResults.Ok(RunViews.Detail(run, await runs.GetStepsAsync(id, cancellationToken)));
    }
}
