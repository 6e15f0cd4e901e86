using Berth.Core.Storage;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Runs;
using Berth.Server.Hosting;
using Berth.Server.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// Claims queued runs (and runs whose server's lease ended) and executes them, renewing leases while they run. At start it
/// releases what its previous process held, so a server killed mid-run resumes its own runs at once.
/// </summary>
internal sealed partial class WorkflowEngine(
    IRunStore runs,
    ActiveRuns active,
    EngineWake wake,
    RunExecution execution,
    RunEventHub hub,
    IContainerStepRunner containers,
    SecretRedactor redactor,
    ServerId server,
    TimeProvider time,
    IOptions<BerthOptions> options,
    ILogger<WorkflowEngine> logger) : BackgroundService
{
    /// <summary>How long a claim holds without renewal; another server may take a run after it lapses.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await runs.ReleaseAsync(server.Value, stoppingToken);
        var nextRenewal = time.GetUtcNow() + RenewEvery;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ClaimAsync(stoppingToken);
                if (time.GetUtcNow() >= nextRenewal)
                {
                    await RenewAsync(stoppingToken);
                    nextRenewal = time.GetUtcNow() + RenewEvery;
                }

                await wake.WaitAsync(Poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: below, every run is let go (its state stays stored, and the next start resumes it).
        }
        finally
        {
            foreach (var run in active.All)
            {
                await run.Stop.CancelAsync();
            }

            await Task.WhenAll(active.All.Select(r => r.Execution));
        }
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        // A parent that only waits for its child runs holds no slot: otherwise a deep tree of child workflows fills every slot
        // with waiting parents, starving unrelated runs and even the children they wait for.
        var room = options.Value.Workflows.MaxActiveRuns - active.Working;
        if (room <= 0)
        {
            return;
        }

        await active.ClaimGate.WaitAsync(stoppingToken);
        try
        {
            var now = time.GetUtcNow();
            foreach (var run in await runs.ClaimAsync(server.Value, now, now + Lease, room, stoppingToken))
            {
                var handles = new ActiveRun();
                active.TryAdd(run.Id, handles);
                handles.Execution = ExecuteAsync(run, handles, stoppingToken);
            }
        }
        finally
        {
            active.ClaimGate.Release();
        }
    }

    private async Task ExecuteAsync(WorkflowRun run, ActiveRun handles, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, handles.Stop.Token);
        try
        {
            var steps = await runs.GetStepsAsync(run.Id, stop.Token);
            using var recorder = new RunRecorder(runs, hub, redactor, time, run, steps);
            LogRunClaimed(run.Id, run.WorkflowName, run.State);
            await execution.RunAsync(recorder, handles, stop.Token);
            LogRunFinished(run.Id, recorder.Run.State);
            await RemoveLeftoversAsync(run.Id, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            LogRunLetGo(run.Id);
        }
        catch (Exception ex)
        {
            // A store failure mid-run: the lease lapses and the run is claimed again, resuming from what was stored.
            LogRunCrashed(ex, run.Id);
        }
        finally
        {
            active.Remove(run.Id);
            handles.Dispose();
        }
    }

    /// <summary>Removes any step container of the finished run that a race or a crash left behind; every step has ended, so none is in use.</summary>
    private async Task RemoveLeftoversAsync(string runId, CancellationToken cancellationToken)
    {
        foreach (var leftover in await containers.ListAsync(server.Value, runId, null, cancellationToken))
        {
            LogLeftoverRemoved(runId, leftover);
            await containers.RemoveAsync(leftover, cancellationToken);
        }
    }

    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        var held = active.Ids;
        if (held.Count == 0)
        {
            return;
        }

        var renewed = (await runs.RenewAsync(server.Value, held.ToList(), time.GetUtcNow() + Lease, stoppingToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var lost in held.Where(id => !renewed.Contains(id)))
        {
            if (active.TryGet(lost, out var run) && !run.Execution.IsCompleted)
            {
                LogLeaseLost(lost);
                await run.Stop.CancelAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of workflow {WorkflowName} claimed ({State})")]
    private partial void LogRunClaimed(string runId, string workflowName, RunState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} finished: {State}")]
    private partial void LogRunFinished(string runId, RunState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} finished with step container {ContainerId} still there; removed it")]
    private partial void LogLeftoverRemoved(string runId, string containerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} let go; it resumes from its stored state when claimed again")]
    private partial void LogRunLetGo(string runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} stopped unexpectedly; it resumes when its lease lapses")]
    private partial void LogRunCrashed(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: this server's lease was lost (another server holds it now); stopping here")]
    private partial void LogLeaseLost(string runId);
}
