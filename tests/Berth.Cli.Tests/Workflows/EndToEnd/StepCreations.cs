using System.Collections.Concurrent;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Cli.Tests.Workflows.EndToEnd;

/// <summary>Step containers the engine created while this follows its event stream, by <c>berth.run</c> and <c>berth.step</c> label.</summary>
internal sealed class StepCreations : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string? Run, string? Step)> _created = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _following;

    public StepCreations(DockerEngineClient docker, string label)
    {
        var query = new EventsQuery
        {
            Since = DateTimeOffset.UtcNow.AddSeconds(-1),
            Filters = new Dictionary<string, IReadOnlyList<string>>
            {
                ["type"] = ["container"],
                ["event"] = ["create"],
                ["label"] = [label],
            },
        };
        _following = FollowAsync(docker, query, _stop.Token);
    }

    /// <summary>How many containers each step of <paramref name="runId"/> got so far.</summary>
    public Dictionary<string, int> PerStep(string runId)
    {
        if (_following.IsFaulted)
        {
            throw new InvalidOperationException("following the engine's events failed, so the counts are incomplete", _following.Exception);
        }

        return _created.Where(c => c.Run == runId)
            .GroupBy(c => c.Step ?? "(no berth.step label)", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _following;
        }
        catch (Exception ex) when (ex is OperationCanceledException or DockerEngineException or IOException)
        {
            // stopped, or already reported by PerStep
        }

        _stop.Dispose();
    }

    private async Task FollowAsync(DockerEngineClient docker, EventsQuery query, CancellationToken cancellationToken)
    {
        await foreach (var engineEvent in docker.GetEventsAsync(query, cancellationToken))
        {
            var labels = engineEvent.Actor.Attributes;
            _created.Enqueue((labels?.GetValueOrDefault("berth.run"), labels?.GetValueOrDefault("berth.step")));
        }
    }
}
