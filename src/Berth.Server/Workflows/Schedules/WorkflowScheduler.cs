using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Server.Cluster;
using Berth.Server.Workflows.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Workflows.Schedules;

/// <summary>
/// Starts runs of workflows that carry <c>schedule</c> entries, at the times their cron expressions (<see cref="CronSchedule"/>, UTC) name.
/// A fire time that passed while the server was down is not made up: the next one after start-up is the first. Of several
/// servers on one database only the leader fires; one that starts leading plans from then on, so a fire time that falls
/// between a leader's death and the takeover is not made up either.
/// </summary>
internal sealed partial class WorkflowScheduler(
    IWorkflowStore workflows, RunCommands runs, Leadership leadership, TimeProvider time, ILogger<WorkflowScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Dictionary<(string Workflow, int Index, string Cron), DateTimeOffset?> _next = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            try
            {
                if (leadership.IsLeader)
                {
                    await FireDueAsync(stoppingToken);
                }
                else
                {
                    _next.Clear();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Starts the runs whose time has come and plans the next time of every schedule (new ones from now).</summary>
    internal async Task FireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var seen = new HashSet<(string, int, string)>();
        foreach (var workflow in await workflows.ListAsync(cancellationToken))
        {
            for (var i = 0; i < workflow.Spec.Schedules.Count; i++)
            {
                var schedule = workflow.Spec.Schedules[i];
                var key = (workflow.Name, i, schedule.Cron);
                seen.Add(key);
                if (!_next.TryGetValue(key, out var due))
                {
                    _next[key] = Next(workflow.Name, schedule, now);
                    continue;
                }

                if (due is { } at && at <= now)
                {
                    await StartAsync(workflow.Spec, schedule, cancellationToken);
                    _next[key] = Next(workflow.Name, schedule, now);
                }
            }
        }

        foreach (var gone in _next.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _next.Remove(gone);
        }
    }

    private async Task StartAsync(WorkflowSpec spec, ScheduleSpec schedule, CancellationToken cancellationToken)
    {
        var given = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in schedule.Inputs)
        {
            given[name] = value?.DeepClone();
        }

        var (run, errors) = await runs.StartAsync(spec, given, "schedule", cancellationToken);
        if (run is null)
        {
            LogScheduleInputsInvalid(spec.Name, schedule.Cron, string.Join("; ", errors));
        }
        else
        {
            LogScheduledRun(spec.Name, schedule.Cron, run.Id);
        }
    }

    private DateTimeOffset? Next(string workflowName, ScheduleSpec schedule, DateTimeOffset after)
    {
        if (CronSchedule.TryParse(schedule.Cron, out var cron, out var error))
        {
            return cron.Next(after, TimeZoneInfo.Utc);
        }

        // Specs are validated when applied, so only a rule made stricter since can land here; such a schedule never fires.
        LogScheduleInvalid(workflowName, schedule.Cron, error);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {WorkflowName}: schedule '{Cron}' started run {RunId}")]
    private partial void LogScheduledRun(string workflowName, string cron, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowName}: schedule '{Cron}' did not start a run because its inputs are invalid: {Errors}")]
    private partial void LogScheduleInputsInvalid(string workflowName, string cron, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow {WorkflowName}: schedule '{Cron}' never starts a run because it is not a valid cron expression: {Error}")]
    private partial void LogScheduleInvalid(string workflowName, string cron, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Workflow schedules could not be checked; trying again in a second")]
    private partial void LogScheduleFailed(Exception exception);
}
