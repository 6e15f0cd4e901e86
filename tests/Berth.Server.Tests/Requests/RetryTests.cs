using System.Net;
using Berth.Core.Requests;
using Berth.Core.Specs;
using Berth.Server.Tests.Requests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Requests;

/// <summary>Retries of 503 answers, dead letters and requeueing, against a real container agent.</summary>
[RequiresDocker]
public sealed class RetryTests : IAsyncLifetime
{
    private DockerCgiAgent _agent = null!;

    public async Task InitializeAsync() => _agent = await DockerCgiAgent.StartAsync();

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Proxy_AgentAnswers503Twice_CompletesOnAttemptThree()
    {
        await _agent.ApplyAsync(FastRetries(maxAttempts: 5));

        var answer = await _agent.SendAsync("flaky", "job", wait: "30s");

        answer.Status.ShouldBe(200, answer.Body);
        answer.Body.ShouldBe("ok on run 3\n");
        var detail = await _agent.GetRequestAsync(answer.RequestId!);
        detail.Request.State.ShouldBe(RequestState.Completed);
        detail.Request.Attempts.ShouldBe(3);
        detail.Request.LastFailure.ShouldBe(DeliveryFailure.Unavailable);
        detail.Response!.Status.ShouldBe(200);
        detail.Response.Message.Body.ShouldBe("ok on run 3\n");
        _agent.Lines("flaky").ShouldBe([answer.RequestId!, answer.RequestId!, answer.RequestId!]);
    }

    [Fact]
    public async Task Proxy_AgentAlwaysAnswers503_DeadLetteredAfterMaxAttempts_RequeueRunsItAgain()
    {
        _agent.SetFlag("broken", true);
        await _agent.ApplyAsync(FastRetries(maxAttempts: 3));

        var answer = await _agent.SendAsync("down", "job", wait: "30s");

        answer.Status.ShouldBe((int)HttpStatusCode.BadGateway, answer.Body);
        answer.Body.ShouldContain("dead-lettered");
        answer.Body.ShouldContain("after 3 attempts");
        var id = answer.RequestId.ShouldNotBeNull();
        var dead = await _agent.GetRequestAsync(id);
        dead.Request.State.ShouldBe(RequestState.DeadLettered);
        dead.Request.Attempts.ShouldBe(3);
        dead.Request.MaxAttempts.ShouldBe(3);
        dead.Request.LastFailure.ShouldBe(DeliveryFailure.Unavailable);
        dead.Response.ShouldBeNull();
        _agent.Lines("down").Count.ShouldBe(3);

        _agent.SetFlag("broken", false);
        using var requeue = await _agent.Server.Http.PostAsync($"/api/v1/requests/{id}/requeue", null, TestTimeouts.Token());

        requeue.StatusCode.ShouldBe(HttpStatusCode.OK, await requeue.Content.ReadAsStringAsync(TestTimeouts.Token()));
        var done = await _agent.WaitForRequestAsync(id, RequestState.Completed);
        done.Request.Attempts.ShouldBe(1);
        done.Response!.Status.ShouldBe(200);
        done.Response.Message.Body.ShouldBe("fixed\n");
        _agent.Lines("down").ShouldBe([id, id, id, id]);
    }

    [Fact]
    public async Task Proxy_StillRetryingWhenBerthWaitEnds_202NamesTheRequest_WhichDeadLettersLater()
    {
        _agent.SetFlag("broken", true);
        await _agent.ApplyAsync(FastRetries(maxAttempts: 2));

        var answer = await _agent.SendAsync("down", "job", wait: "0s");

        answer.Status.ShouldBe((int)HttpStatusCode.Accepted, answer.Body);
        var id = answer.RequestId.ShouldNotBeNull();
        answer.Body.ShouldContain($"/api/v1/requests/{id}");
        var dead = await _agent.WaitForRequestAsync(id, RequestState.DeadLettered);
        dead.Request.Attempts.ShouldBe(2);
        _agent.Lines("down").ShouldBe([id, id]);
    }

    private static PersistenceSpec FastRetries(int maxAttempts) => new()
    {
        MaxAttempts = maxAttempts,
        Backoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };
}
