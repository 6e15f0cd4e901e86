using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Expressions;
using Berth.Core.Workflows.Inputs;
using Berth.Core.Workflows.Runs;
using Berth.Server.Hosting;
using Berth.Server.Workflows.Engine;
using Microsoft.Extensions.Options;

namespace Berth.Server.Workflows.Steps;

/// <summary>
/// Workflow steps: the named workflow runs as a child run (its own steps, events and cache hits) and the step waits for it.
/// Each attempt's child has an id derived from the parent, step and attempt, so a resumed parent finds its child instead of
/// starting another. The child's step outputs become the step's <c>outputs</c>.
/// </summary>
internal sealed class ChildWorkflowAction(
    IWorkflowStore workflows, IRunStore runs, RunCommands commands, RunEventHub hub, ActiveRuns active, EngineWake wake, IOptions<BerthOptions> options)
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    public async Task<PreparedStep> PrepareAsync(StepUnit unit, CancellationToken cancellationToken)
    {
        var spec = unit.Step.Workflow ?? throw new InvalidOperationException($"step '{unit.Step.Id}' has no workflow section");
        var workflow = await workflows.GetAsync(spec.Name, cancellationToken)
            ?? throw new StepRunException(ErrorClass.Config, $"workflow '{spec.Name}' does not exist; apply it first (berth apply -f WORKFLOW.yaml)");
        var given = new JsonObject();
        foreach (var (name, value) in spec.Inputs)
        {
            given[name] = JsonTemplates.Evaluate(value, unit.Scope);
        }

        var (_, errors) = InputBinder.Bind(workflow.Spec, given, $"steps.{unit.Step.Id}.workflow.inputs");
        if (errors.Count > 0)
        {
            throw new StepRunException(ErrorClass.Config, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
        }

        await CheckDepthAsync(unit.RunId, spec.Name, cancellationToken);

        return new PreparedStep(null, null, (attempt, ct) => RunChildAsync(unit, workflow.Spec, given, attempt, ct));
    }

    private async Task<StepOutputs> RunChildAsync(StepUnit unit, WorkflowSpec spec, JsonObject given, StepAttempt attempt, CancellationToken cancellationToken)
    {
        var childId = ChildRunId(unit.RunId, unit.Name, attempt.Number);
        if (await runs.GetAsync(childId, cancellationToken) is null)
        {
            await commands.StartAsync(spec, given, $"run/{unit.RunId}", cancellationToken, unit.RunId, childId);
        }

        attempt.Log($"child run {childId} of workflow {spec.Name}");
        try
        {
            WorkflowRun child;
            using (active.TryGet(unit.RunId, out var parent) ? parent.WaitForChild() : null)
            {
                wake.Poke();
                child = await WaitAsync(childId, cancellationToken);
            }

            return child.State switch
            {
                RunState.Succeeded => new StepOutputs { Outputs = await OutputsAsync(childId, cancellationToken) },
                RunState.Cancelled => throw new StepRunException(ErrorClass.Cancelled, $"child run {childId} of workflow {spec.Name} was cancelled: {child.Error}"),
                _ => throw new StepRunException(ErrorClass.User, $"child run {childId} of workflow {spec.Name} failed: {child.Error}"),
            };
        }
        catch (OperationCanceledException)
        {
            await commands.CancelAsync(childId, $"run/{unit.RunId}", CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Refuses a child deeper than the limit: cycles are refused when workflows are applied, but a chain of distinct workflows
    /// (or a cycle closed by applies on two servers at once) must still end before it fills the store with runs.
    /// </summary>
    private async Task CheckDepthAsync(string runId, string childWorkflow, CancellationToken cancellationToken)
    {
        var max = options.Value.Workflows.MaxChildDepth;
        var depth = 0;
        for (var run = await runs.GetAsync(runId, cancellationToken); run?.ParentRunId is { } parent && depth < max; depth++)
        {
            run = await runs.GetAsync(parent, cancellationToken);
        }

        if (depth + 1 > max)
        {
            throw new StepRunException(
                ErrorClass.Config,
                $"child workflow '{childWorkflow}' would run {depth + 1} levels deep, more than the {max} allowed (Berth:Workflows:MaxChildDepth); a chain of child workflows must end");
        }
    }

    private async Task<WorkflowRun> WaitAsync(string childId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = hub.Changed(childId);
            var child = await runs.GetAsync(childId, cancellationToken)
                ?? throw new StepRunException(ErrorClass.Transient, $"child run {childId} disappeared from the store");
            if (child.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled)
            {
                hub.Forget(childId);
                return child;
            }

            try
            {
                await changed.WaitAsync(RecheckEvery, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Look again: the child may run on another server, whose saves this hub does not see.
            }
        }
    }

    private async Task<Dictionary<string, StepOutputs>> OutputsAsync(string childId, CancellationToken cancellationToken) =>
        (await runs.GetStepsAsync(childId, cancellationToken))
            .Where(s => s.Outputs is not null)
            .ToDictionary(s => s.StepId, s => s.Outputs!, StringComparer.Ordinal);

    private static string ChildRunId(string parentRunId, string unitName, int attempt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{parentRunId}/{unitName}/{attempt}")))[..32];
}
