using System.Collections.Concurrent;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>Waits for applied agents to settle, showing a live table on a terminal and a line per change elsewhere.</summary>
internal sealed class ApplyWaiter(CliSession session, BerthClient client)
{
    private const int EventsShown = 10;
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, AgentView> _views = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _timedOut = new(StringComparer.Ordinal);
    private readonly Lock _printGate = new();

    public async Task<int> WaitAsync(IReadOnlyList<string> names, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waits = Task.WhenAll(names.Select(name => WaitOneAsync(name, timeout, cancellationToken)));
        var console = session.Console;
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            await console.Live(BuildTable(names)).AutoClear(false).StartAsync(async live =>
            {
                while (!waits.IsCompleted)
                {
                    live.UpdateTarget(BuildTable(names));
                    await Task.WhenAny(waits, Task.Delay(Refresh, session.Context.Time, cancellationToken));
                }

                live.UpdateTarget(BuildTable(names));
            });
        }

        await waits;
        return await ReportAsync(names, timeout, cancellationToken);
    }

    private async Task WaitOneAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var progress = new LineProgress(this, name);
        try
        {
            await client.WaitForAgentAsync(name, IsSettled, timeout, progress, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            _timedOut[name] = exception.Message;
        }
    }

    private async Task<int> ReportAsync(IReadOnlyList<string> names, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var failed = names.Where(n => _views.TryGetValue(n, out var v) && v.State == AgentState.Failed).ToList();
        var late = names.Where(_timedOut.ContainsKey).ToList();
        foreach (var name in failed.Concat(late))
        {
            var view = _views.GetValueOrDefault(name);
            var what = failed.Contains(name) ? "failed" : $"not running after {Duration.Format(timeout)}";
            session.Console.MarkupLineInterpolated($"[red]error:[/] agent/{name} {what} (state {(view is null ? "unknown" : Formats.Name(view.State))})");
            await WriteRecentEventsAsync(name, cancellationToken);
        }

        if (failed.Count > 0)
        {
            return ExitCodes.Failure;
        }

        if (late.Count > 0)
        {
            return ExitCodes.Timeout;
        }

        session.Console.MarkupLineInterpolated($"[green]{names.Count} agent{(names.Count == 1 ? "" : "s")} running[/]");
        return ExitCodes.Ok;
    }

    private async Task WriteRecentEventsAsync(string name, CancellationToken cancellationToken)
    {
        var events = await RecentEvents.GetAsync(client, name, EventsShown, cancellationToken);
        var now = session.Context.Time.GetUtcNow();
        foreach (var agentEvent in events)
        {
            session.Console.WriteLine($"  {Formats.Age(agentEvent.Time, now)} ago  {agentEvent.Reason}  {agentEvent.InstanceId ?? "-"}  {agentEvent.Message}");
        }
    }

    private Table BuildTable(IReadOnlyList<string> names)
    {
        var table = new Table().AddColumns("AGENT", "STATE", "READY", "MESSAGE");
        foreach (var name in names)
        {
            var view = _views.GetValueOrDefault(name);
            var message = view?.Instances.Select(i => i.Message).LastOrDefault(m => !string.IsNullOrWhiteSpace(m)) ?? "";
            table.AddRow(
                new Text(name),
                new Markup(view is null ? "…" : Formats.StateMarkup(Formats.Name(view.State))),
                new Text(view is null ? "-" : $"{view.ReadyReplicas}/{view.Replicas}"),
                new Text(message));
        }

        return table;
    }

    private void OnProgress(string name, AgentView view)
    {
        var previous = _views.GetValueOrDefault(name);
        _views[name] = view;
        var console = session.Console;
        if ((console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi) ||
            (previous is not null && previous.State == view.State && previous.ReadyReplicas == view.ReadyReplicas))
        {
            return;
        }

        lock (_printGate)
        {
            console.WriteLine($"agent/{name} {Formats.Name(view.State)} ({view.ReadyReplicas}/{view.Replicas} ready)");
        }
    }

    private static bool IsSettled(AgentView view) => view.State switch
    {
        AgentState.Running => view.ReadyReplicas >= view.Replicas,
        AgentState.Failed => true,
        AgentState.Stopped => view.Replicas == 0,
        _ => false,
    };

    private sealed class LineProgress(ApplyWaiter owner, string name) : IProgress<AgentView>
    {
        public void Report(AgentView value) => owner.OnProgress(name, value);
    }
}
