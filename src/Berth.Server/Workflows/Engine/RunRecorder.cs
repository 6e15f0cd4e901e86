using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Server.Secrets;

namespace Berth.Server.Workflows.Engine;

/// <summary>
/// The one writer of a run's state while it executes: every transition is saved (run, step and event in one transaction)
/// before the engine acts on it, log lines are batched, every text is redacted of secrets, and waiters are told.
/// Saves use the server's stopping token, never the run's: a cancelled run must still be stored as cancelled.
/// </summary>
internal sealed class RunRecorder(IRunStore store, RunEventHub hub, SecretRedactor redactor, TimeProvider time, WorkflowRun run, IEnumerable<StepRun> steps)
    : IDisposable
{
    /// <summary>Log lines kept per step attempt as events; beyond it one line says how many were left out (the failure keeps the tail).</summary>
    public const int MaxLogEventsPerAttempt = 2_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _logGate = new();
    private readonly Dictionary<string, StepRun> _steps = steps.ToDictionary(s => s.StepId, StringComparer.Ordinal);
    private readonly Dictionary<(string StepId, int Attempt), int> _logCounts = [];
    private List<RunEvent> _logs = [];

    public WorkflowRun Run { get; private set; } = run;

    /// <summary>The step as last saved.</summary>
    public StepRun Step(string stepId)
    {
        lock (_steps)
        {
            return _steps[stepId];
        }
    }

    /// <summary>Every step as last saved.</summary>
    public IReadOnlyList<StepRun> Steps()
    {
        lock (_steps)
        {
            return _steps.Values.ToList();
        }
    }

    /// <summary>Changes one step and records <paramref name="eventType"/> with it.</summary>
    public async Task<StepRun> StepAsync(string stepId, Func<StepRun, StepRun> change, string? eventType, string? message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var changed = change(Step(stepId));
            RunEvent[] events = eventType is null ? [] : [Event(eventType, stepId, changed.Attempt, message)];
            await SaveAsync(null, [changed], events, cancellationToken);
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Changes the run and, with it, <paramref name="stepChanges"/>; records <paramref name="eventType"/>.</summary>
    public async Task RunAsync(Func<WorkflowRun, WorkflowRun> change, IReadOnlyList<StepRun> stepChanges, string eventType, string? message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var changed = change(Run);
            await SaveAsync(changed, stepChanges, [Event(eventType, null, null, message)], cancellationToken);
            Run = changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Queues one output line of a step attempt; it is stored with the next transition or flush.</summary>
    public void Log(string stepId, int attempt, string line)
    {
        lock (_logGate)
        {
            var count = _logCounts.GetValueOrDefault((stepId, attempt)) + 1;
            _logCounts[(stepId, attempt)] = count;
            if (count <= MaxLogEventsPerAttempt)
            {
                _logs.Add(Event("step.log", stepId, attempt, line));
            }
            else if (count == MaxLogEventsPerAttempt + 1)
            {
                _logs.Add(Event("step.log", stepId, attempt, $"(more output than {MaxLogEventsPerAttempt} lines: the rest is not kept as events; the step's log tail keeps the end)"));
            }
        }
    }

    /// <summary>Stores queued log lines now.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await SaveAsync(null, [], [], cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task SaveAsync(WorkflowRun? changedRun, IReadOnlyList<StepRun> changedSteps, RunEvent[] events, CancellationToken cancellationToken)
    {
        List<RunEvent> logs;
        lock (_logGate)
        {
            (logs, _logs) = (_logs, []);
        }

        if (changedRun is null && changedSteps.Count == 0 && events.Length == 0 && logs.Count == 0)
        {
            return;
        }

        var redactedSteps = changedSteps.Select(Redact).ToList();
        await store.SaveAsync(changedRun, redactedSteps, [.. logs, .. events], cancellationToken);
        lock (_steps)
        {
            foreach (var step in changedSteps)
            {
                if (_steps.TryGetValue(step.StepId, out var before) && before.State != step.State && IsOutcome(step.State))
                {
                    WorkflowMetrics.RecordStep(changedRun ?? Run, step);
                }

                _steps[step.StepId] = step;
            }
        }

        if (changedRun is { State: RunState.Succeeded or RunState.Failed or RunState.Cancelled } && changedRun.State != Run.State)
        {
            WorkflowMetrics.RecordRun(changedRun);
        }

        hub.Publish(Run.Id);
    }

    private static bool IsOutcome(StepState state) =>
        state is StepState.Retrying or StepState.Succeeded or StepState.Cached or StepState.Skipped or StepState.Failed or StepState.Cancelled;

    private StepRun Redact(StepRun step) => step.Failure is { } failure
        ? step with { Failure = failure with { Message = redactor.Redact(failure.Message)!, LogTail = redactor.Redact(failure.LogTail) } }
        : step;

    private RunEvent Event(string type, string? stepId, int? attempt, string? message) => new()
    {
        RunId = Run.Id,
        Time = time.GetUtcNow(),
        Type = type,
        StepId = stepId,
        Attempt = attempt,
        Message = redactor.Redact(message),
    };
}
