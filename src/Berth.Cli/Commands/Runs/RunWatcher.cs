using System.Globalization;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Workflows.Runs;
using Spectre.Console;

namespace Berth.Cli.Commands.Runs;

/// <summary>
/// Follows one run until it ends: a live table of its steps on a terminal, one plain line per event elsewhere (CI, pipes, tests).
/// Driven by the run's event stream; the run is read again whenever a step changes. Stopping the watch never stops the run.
/// </summary>
internal sealed class RunWatcher(CliSession session, BerthClient client)
{
    private static readonly TimeSpan ResumeDelay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, string> _lastLogs = new(StringComparer.Ordinal);
    private long _lastSequence;

    /// <summary>Watches run <paramref name="id"/>, then returns the exit code of its outcome (see <see cref="ExitCode"/>).</summary>
    public async Task<int> WatchAsync(string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var time = session.Context.Time;
        using var deadline = timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        RunView? run = null;
        try
        {
            run = await client.GetRunAsync(id, linked.Token);
            run = IsLive ? await WatchLiveAsync(run, linked.Token) : await WatchLinesAsync(run, linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Console.MarkupLineInterpolated(
                $"[yellow]stopped watching;[/] run {id} goes on (see it with 'berth runs get {id}', stop it with 'berth runs cancel {id}')");
            return ExitCodes.Cancelled;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var state = run is null ? "not read yet" : Formats.Name(run.State);
            throw new TimeoutException(
                $"run {id} did not finish within {Core.Specs.Duration.Format(timeout!.Value)} (it is {state}); it goes on: 'berth runs get {id}' or 'berth runs cancel {id}'");
        }

        WriteOutcome(run);
        return ExitCode(run.State);
    }

    /// <summary>0 for a succeeded run, <see cref="ExitCodes.Failure"/> for a failed one, <see cref="ExitCodes.Cancelled"/> for a cancelled one.</summary>
    public static int ExitCode(RunState state) => state switch
    {
        RunState.Succeeded => ExitCodes.Ok,
        RunState.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Failure,
    };

    /// <summary>The plain line for one event: <c>step/build started (attempt 2)</c>, <c>build | a log line</c>, <c>run/ID succeeded</c>.</summary>
    internal static string Line(RunEvent runEvent)
    {
        var verb = runEvent.Type.Contains('.', StringComparison.Ordinal) ? runEvent.Type[(runEvent.Type.IndexOf('.', StringComparison.Ordinal) + 1)..] : runEvent.Type;
        if (runEvent.Type == "step.log")
        {
            return $"{runEvent.StepId} | {runEvent.Message}";
        }

        var subject = runEvent.StepId is { } step ? $"step/{step}" : $"run/{runEvent.RunId}";
        var attempt = runEvent.Attempt is > 1 ? $" (attempt {runEvent.Attempt.Value.ToString(CultureInfo.InvariantCulture)})" : "";
        var message = string.IsNullOrWhiteSpace(runEvent.Message) ? "" : $": {runEvent.Message}";
        return $"{subject} {verb}{attempt}{message}";
    }

    private bool IsLive => session.Console.Profile.Capabilities is { Interactive: true, Ansi: true };

    private async Task<RunView> WatchLinesAsync(RunView run, CancellationToken cancellationToken)
    {
        var console = session.Console;
        console.WriteLine($"run/{run.Id} of workflow {run.Workflow}: {Formats.Name(run.State)}");
        return await FollowAsync(run, runEvent => console.WriteLine(Line(runEvent)), _ => { }, cancellationToken);
    }

    private async Task<RunView> WatchLiveAsync(RunView run, CancellationToken cancellationToken)
    {
        var console = session.Console;
        console.MarkupLineInterpolated($"run/{run.Id} of workflow [bold]{run.Workflow}[/]");
        var current = run;
        await console.Live(Render(current)).AutoClear(false).StartAsync(async live =>
        {
            current = await FollowAsync(current, _ => live.UpdateTarget(Render(current)), changed =>
            {
                current = changed;
                live.UpdateTarget(Render(changed));
            }, cancellationToken);
            live.UpdateTarget(Render(current));
        });
        return current;
    }

    /// <summary>Reads events until the run ends, re-reading the run after each step or run change; resumes if the stream drops early.</summary>
    private async Task<RunView> FollowAsync(RunView run, Action<RunEvent> onEvent, Action<RunView> onRun, CancellationToken cancellationToken)
    {
        while (!RunStates.IsFinished(run.State))
        {
            var received = 0;
            await foreach (var runEvent in client.StreamRunEventsAsync(run.Id, _lastSequence, follow: true, cancellationToken))
            {
                received++;
                _lastSequence = Math.Max(_lastSequence, runEvent.Sequence);
                if (runEvent.Type == "step.log" && runEvent.StepId is { } step && runEvent.Message is { } message)
                {
                    _lastLogs[step] = message;
                }
                else
                {
                    run = await client.GetRunAsync(run.Id, cancellationToken);
                    onRun(run);
                }

                onEvent(runEvent);
            }

            run = await client.GetRunAsync(run.Id, cancellationToken);
            onRun(run);
            if (received == 0 && !RunStates.IsFinished(run.State))
            {
                // The stream closed without news before the run ended (a proxy timeout, a restart): wait a little, then resume.
                await Task.Delay(ResumeDelay, session.Context.Time, cancellationToken);
            }
        }

        return run;
    }

    private Table Render(RunView run)
    {
        var table = StepsTable.Build(run, session.Context.Time.GetUtcNow(), _lastLogs, border: true);
        table.Title = new TableTitle(Markup.Escape($"run {run.Id}: ") + RunStates.Markup(run.State));
        return table;
    }

    private void WriteOutcome(RunView run)
    {
        var console = session.Console;
        var took = run.FinishedAt is { } finished ? $" in {StepsTable.Elapsed(finished - run.CreatedAt)}" : "";
        console.MarkupLine($"run/{Markup.Escape(run.Id)} {RunStates.Markup(run.State)}{Markup.Escape(took)}");
        if (run.Error is { } error && run.State != RunState.Succeeded)
        {
            console.WriteLine($"  {error}");
        }

        foreach (var step in run.Steps ?? [])
        {
            if (step.State != StepState.Failed || step.Failure is not { } failure)
            {
                continue;
            }

            console.WriteLine($"  step/{step.Id} failed: {StepsTable.Failure(step)}");
            foreach (var line in (failure.LogTail ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                console.WriteLine($"    {line.TrimEnd('\r')}");
            }
        }
    }
}
