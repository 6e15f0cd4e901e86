using Berth.Core.Requests;
using Berth.Core.Specs;
using Berth.Server.Tests.Requests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Requests;

/// <summary>A replica that dies while serving a durable request, on real containers.</summary>
[RequiresDocker]
public sealed class ReplicaFailoverTests : IAsyncLifetime
{
    private DockerCgiAgent _agent = null!;

    public async Task InitializeAsync() => _agent = await DockerCgiAgent.StartAsync();

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Proxy_ReplicaKilledMidRequest_CallerGetsTheAgentsAnswerFromARetry()
    {
        var view = await _agent.ApplyAsync(
            new PersistenceSpec { MaxAttempts = 20, Backoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500), RequestTimeout = TimeSpan.FromSeconds(20) },
            replicas: 2);
        var instances = view.Instances.Select(i => i.Id).ToList();

        var call = _agent.SendAsync("slow", "job", key: "failover", wait: "45s");
        // the script logs which instance runs it before it waits: that is the container to kill
        var first = (await _agent.WaitForLinesAsync("slow", 1))[0].Split(' ');
        var (victim, id) = (first[0], first[1]);
        instances.ShouldContain(victim);
        await _agent.KillAsync(victim);
        _agent.Release();
        var answer = await call.WaitAsync(TestTimeouts.Slow);

        answer.Status.ShouldBe(200, answer.Body);
        answer.RequestId.ShouldBe(id);
        answer.Body.ShouldStartWith("served by ");
        var servedBy = answer.Body["served by ".Length..].TrimEnd('\n');
        instances.ShouldContain(servedBy);
        var runs = _agent.Lines("slow").Select(l => l.Split(' ')).ToList();
        runs.Count.ShouldBe(2, "the killed run and the retry that answered");
        runs.ShouldAllBe(r => r[1] == id);
        runs[^1][0].ShouldBe(servedBy);
        var detail = await _agent.GetRequestAsync(id);
        detail.Request.State.ShouldBe(RequestState.Completed);
        detail.Request.Attempts.ShouldBeGreaterThanOrEqualTo(2);
        detail.Response!.Message.Body.ShouldBe(answer.Body);
    }
}
