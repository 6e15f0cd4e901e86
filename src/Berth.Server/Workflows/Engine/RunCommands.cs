using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Inputs;
using Berth.Core.Workflows.Runs;

namespace Berth.Server.Workflows.Engine;

/// <summary>Starting and cancelling runs: what the API, schedules and child workflow steps call.</summary>
internal sealed class RunCommands(
    IRunStore runs, ActiveRuns active, EngineWake wake, RunEventHub hub, IContainerStepRunner containers, IStoreSignals signals, Hosting.ServerId server, TimeProvider time)
{
    /// <summary>
    /// Binds <paramref name="given"/> to <paramref name="spec"/>'s inputs and stores a queued run (with <paramref name="id"/> when
    /// given, which a child step uses so a resumed parent finds its child again). Returns the input errors instead when there are any.
    /// </summary>
    public async Task<(WorkflowRun? Run, IReadOnlyList<SpecError> Errors)> StartAsync(
        WorkflowSpec spec, JsonObject? given, string startedBy, CancellationToken cancellationToken, string? parentRunId = null, string? id = null,
        JsonObject? trigger = null)
    {
        var (inputs, errors) = InputBinder.Bind(spec, given);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow();
        var run = new WorkflowRun
        {
            Id = id ?? Guid.CreateVersion7(now).ToString("N"),
            WorkflowName = spec.Name,
            Spec = spec,
            Inputs = inputs,
            State = RunState.Queued,
            StartedBy = startedBy,
            ParentRunId = parentRunId,
            Trigger = trigger,
            CreatedAt = now,
        };
        var steps = spec.Steps.Select(s => new StepRun { RunId = run.Id, StepId = s.Id, State = StepState.Pending }).ToList();
        await runs.CreateAsync(run, steps, new RunEvent { RunId = run.Id, Time = now, Type = "run.queued", Message = $"started by {startedBy}" }, cancellationToken);
        wake.Poke();
        return (run, []);
    }

    /// <summary>
    /// Cancels the run: one executing here is told to stop its steps (it stores itself cancelled); one another server sharing
    /// the store executes is signalled to it (<see cref="RunCancelListener"/>), which does the same; one that nobody executes
    /// (queued, or left by a server that stopped) is stored cancelled now and its step containers removed.
    /// </summary>
    public async Task<CancelOutcome> CancelAsync(string runId, string by, CancellationToken cancellationToken)
    {
        await active.ClaimGate.WaitAsync(cancellationToken);
        try
        {
            if (await CancelActiveAsync(runId, by))
            {
                return CancelOutcome.Cancelling;
            }

            var run = await runs.GetAsync(runId, cancellationToken);
            if (run is null)
            {
                return CancelOutcome.NotFound;
            }

            if (run.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled)
            {
                return CancelOutcome.AlreadyFinished;
            }

            var now = time.GetUtcNow();
            if (run.LeaseOwner is { } owner && owner != server.Value && run.LeaseExpiresAt > now)
            {
                // Another server sharing the store executes it: that server stops its steps and stores it cancelled.
                await signals.NotifyAsync(StoreChannels.RunCancels, $"{runId} {by}", cancellationToken);
                return CancelOutcome.Cancelling;
            }

            var steps = await runs.GetStepsAsync(runId, cancellationToken);
            foreach (var containerId in steps.Select(s => s.ContainerId).OfType<string>())
            {
                await containers.RemoveAsync(containerId, cancellationToken);
            }

            var cancelled = steps
                .Where(s => s.State is not (StepState.Succeeded or StepState.Cached or StepState.Skipped or StepState.Failed or StepState.Cancelled))
                .Select(s => s with { State = StepState.Cancelled, FinishedAt = now, ContainerId = null, RetryAt = null })
                .ToList();
            var message = $"cancelled by {by}";
            await runs.SaveAsync(
                run with { State = RunState.Cancelled, FinishedAt = now, Error = message },
                cancelled,
                [new RunEvent { RunId = runId, Time = now, Type = "run.cancelled", Message = message }],
                cancellationToken);
            hub.Publish(runId);
            return CancelOutcome.Cancelled;
        }
        finally
        {
            active.ClaimGate.Release();
        }
    }

    /// <summary>Tells the run to stop its steps when this server executes it; false when it does not.</summary>
    public async Task<bool> CancelActiveAsync(string runId, string by)
    {
        if (!active.TryGet(runId, out var running))
        {
            return false;
        }

        running.CancelledBy = by;
        await running.Cancel.CancelAsync();
        return true;
    }
}
