using System.Diagnostics;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;

namespace Berth.Bench.Workflows;

/// <summary>Applies workflows and times runs end to end as a client sees them: from POST /runs to the event stream's <c>run.succeeded</c>.</summary>
internal sealed class TimedRuns(BerthClient client)
{
    public async Task ApplyAsync(WorkflowSpec spec, CancellationToken cancellationToken) => await client.ApplyWorkflowAsync(spec, cancellationToken);

    /// <summary>Starts a run and follows its events to the end; the run read afterwards must have succeeded.</summary>
    public async Task<TimedRun> RunAsync(string workflow, CancellationToken cancellationToken)
    {
        var wallStart = TimeProvider.System.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var run = await client.StartRunAsync(workflow, null, cancellationToken);
        var events = 0;
        await foreach (var _ in client.StreamRunEventsAsync(run.Id, cancellationToken: cancellationToken))
        {
            events++;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var wallEnd = TimeProvider.System.GetUtcNow();
        var view = await client.GetRunAsync(run.Id, cancellationToken);
        if (view.State != RunState.Succeeded)
        {
            var failed = view.Steps?.FirstOrDefault(s => s.Failure is not null);
            throw new BenchException(
                $"run {run.Id} of {workflow} is {view.State}, not Succeeded, when its event stream ended: {view.Error ?? "no error"}"
                + (failed is null ? "" : $"; step {failed.Id}: {failed.Failure!.Message} {failed.Failure.LogTail}"));
        }

        return new TimedRun(view, elapsed, events, wallStart, wallEnd);
    }
}
