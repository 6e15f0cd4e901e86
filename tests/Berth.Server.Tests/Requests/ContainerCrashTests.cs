using System.Globalization;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Server.Tests.Requests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Requests;

/// <summary>An agent's only container killed with requests in flight and more arriving while it is down, on the real engine.</summary>
[RequiresDocker]
public sealed class ContainerCrashTests : IAsyncLifetime
{
    private static readonly string[] InFlightKeys = ["a0", "a1", "a2"];
    private static readonly string[] QueuedKeys = ["q0", "q1", "q2"];

    private DockerCgiAgent _agent = null!;

    public async Task InitializeAsync() => _agent = await DockerCgiAgent.StartAsync();

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Proxy_ContainerKilledWithRequestsInFlightAndQueued_AllCompleteAfterRestart_NoKeyRunsTwice()
    {
        var view = await _agent.ApplyAsync(
            new PersistenceSpec { MaxAttempts = 30, Backoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(30) });
        var instance = view.Instances.Single().Id;

        var calls = InFlightKeys.Select(k => (Key: k, Answer: Work(k))).ToList();
        await _agent.WaitForLinesAsync("started", InFlightKeys.Length);
        await _agent.KillAsync(instance);
        // while the container is down: a repeat of every in-flight key, and new keys sent twice each
        calls.AddRange(InFlightKeys.Select(k => (Key: k, Answer: Work(k))));
        calls.AddRange(QueuedKeys.SelectMany(k => new[] { (Key: k, Answer: Work(k)), (Key: k, Answer: Work(k)) }));
        _agent.Release();
        var results = await Task.WhenAll(calls.Select(c => c.Answer)).WaitAsync(TestTimeouts.Slow);
        var answers = calls.Zip(results, (c, a) => (c.Key, Answer: a)).ToList();

        foreach (var (key, answer) in answers)
        {
            answer.Status.ShouldBe(200, $"{key}: {answer.Body}");
            answer.Body.ShouldBe($"did {key}\n");
        }

        var idOf = answers.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Select(a => a.Answer.RequestId).Distinct().ShouldHaveSingleItem()!);
        _agent.Lines("committed").Order().ShouldBe(InFlightKeys.Concat(QueuedKeys).Order(), "every key's job ran to its end exactly once");
        var starts = _agent.Lines("started")
            .Select(l => l.Split(' '))
            .Select(p => (Key: p[0], Id: p[1], Boot: int.Parse(p[2], CultureInfo.InvariantCulture)))
            .ToList();
        starts.ShouldAllBe(s => s.Id == idOf[s.Key], "a retry carries the same Berth-Request-Id, so the agent can tell");
        foreach (var key in InFlightKeys)
        {
            var boots = starts.Where(s => s.Key == key).Select(s => s.Boot).ToList();
            boots[0].ShouldBe(1, $"{key} was running when the container was killed");
            boots[^1].ShouldBeGreaterThan(1, $"{key} ran again after the restart");
            (await _agent.GetRequestAsync(idOf[key])).Request.Attempts.ShouldBeGreaterThanOrEqualTo(2);
        }

        starts.Where(s => QueuedKeys.Contains(s.Key)).ShouldAllBe(s => s.Boot > 1);
        starts.Count(s => QueuedKeys.Contains(s.Key)).ShouldBe(QueuedKeys.Length);
        var after = await _agent.Server.GetAsync(_agent.Name);
        after.State.ShouldBe(AgentState.Running);
        after.Instances.Single().RestartCount.ShouldBeGreaterThanOrEqualTo(1);
    }

    private Task<ProxyAnswer> Work(string key) => _agent.SendAsync("work", key, key: key, wait: "45s");
}
