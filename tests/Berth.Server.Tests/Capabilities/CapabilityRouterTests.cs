using System.Net;
using Berth.Core.Agents;
using Berth.Server.Capabilities;
using Berth.Server.Hosting;
using Berth.Server.Reconciliation;
using Berth.Server.Workflows.Resilience;
using Berth.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Berth.Server.Tests.Capabilities;

/// <summary>The router's choice of provider, its failover and its breakers, against published routes and a scripted send (no network).</summary>
public sealed class CapabilityRouterTests
{
    private static readonly Uri A = new("http://127.0.0.1:1001/");
    private static readonly Uri B = new("http://127.0.0.1:1002/");
    private static readonly Uri C = new("http://127.0.0.1:1003/");

    private readonly FakeTimeProvider _clock = new();
    private readonly InstanceDirectory _directory = new();
    private readonly CircuitBreakers _breakers;
    private readonly CapabilityRouter _router;
    private readonly List<string> _sent = [];

    public CapabilityRouterTests()
    {
        var options = new BerthOptions();
        options.Workflows.CircuitBreaker.Failures = 2;
        options.Workflows.CircuitBreaker.BreakDuration = TimeSpan.FromMinutes(1);
        _breakers = new CircuitBreakers(Options.Create(options), _clock);
        // RouteAsync takes the providers itself: the registry is only read by SendAsync, which these tests do not call.
        _router = new CapabilityRouter(null!, _directory, _breakers, NullLogger<CapabilityRouter>.Instance);
        _directory.Publish([Route("a", A), Route("b", B), Route("c", C)]);
    }

    [Fact]
    public async Task RouteAsync_TwoProvidersBusy_PicksTheIdleOne()
    {
        using var busyA = _directory.Find("a")!.Enter(A);
        using var busyC = _directory.Find("c")!.Enter(C);

        for (var i = 0; i < 4; i++)
        {
            using var routed = await RouteAsync(Answer(HttpStatusCode.OK));
            routed.Provider.ShouldBe("agent:b", "b is the only provider with no call in flight");
        }
    }

    [Fact]
    public async Task RouteAsync_EqualLoad_ProvidersTakeTurns()
    {
        for (var i = 0; i < 6; i++)
        {
            (await RouteAsync(Answer(HttpStatusCode.OK))).Dispose();
        }

        _sent.Order(StringComparer.Ordinal).ShouldBe(["a", "a", "b", "b", "c", "c"]);
    }

    [Fact]
    public async Task RouteAsync_HeldAnswer_CountsAsOutstandingUntilDisposed()
    {
        var held = await RouteAsync(Answer(HttpStatusCode.OK), "a");

        CapabilityRegistry.Outstanding(_directory.Find("a")).ShouldBe(1);
        held.Dispose();
        held.Dispose();
        CapabilityRegistry.Outstanding(_directory.Find("a")).ShouldBe(0, "disposing twice must not take another call's count away");
    }

    [Fact]
    public async Task RouteAsync_FirstProviderAnswers503_FailsOverAndSaysSo()
    {
        var notes = new List<string>();
        using var routed = await _router.RouteAsync(
            "summarize", ["a", "b"], (route, _, _) => Send(route, route.AgentName == "a" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK), notes.Add, TestTimeouts.Token());

        routed.Provider.ShouldBe("agent:b");
        routed.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        if (_sent[0] == "a")
        {
            routed.Failovers.ShouldBe(["agent:a answered 503"]);
            notes.ShouldHaveSingleItem().ShouldContain("agent:a answered 503");
        }
    }

    [Fact]
    public async Task RouteAsync_ProviderUnreachable_BreakerOpensAndRouterStopsSendingToIt()
    {
        for (var i = 0; i < 6; i++)
        {
            using var routed = await _router.RouteAsync(
                "summarize", ["a", "b"], (route, _, _) => route.AgentName == "a" ? Refused(route) : Send(route, HttpStatusCode.OK), null, TestTimeouts.Token());
            routed.Provider.ShouldBe("agent:b");
        }

        _breakers.StateOf("agent:a").ShouldBe(CircuitState.Open);
        _sent.Count(s => s == "a").ShouldBe(2, "two failures open a's breaker; after that it is skipped without a call");
        _breakers.StateOf("agent:b").ShouldBe(CircuitState.Closed);
    }

    [Fact]
    public async Task RouteAsync_BreakEnds_OneTrialCallClosesItAgain()
    {
        for (var i = 0; i < 2; i++)
        {
            (await RouteAsync(Answer(HttpStatusCode.BadGateway), "a")).Dispose();
        }

        _breakers.StateOf("agent:a").ShouldBe(CircuitState.Open);
        await Should.ThrowAsync<CapabilityUnavailableException>(() => RouteAsync(Answer(HttpStatusCode.OK), "a"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        using var routed = await RouteAsync(Answer(HttpStatusCode.OK), "a");

        routed.Provider.ShouldBe("agent:a");
        _breakers.StateOf("agent:a").ShouldBe(CircuitState.Closed);
    }

    [Fact]
    public async Task RouteAsync_EveryProviderAnswers503_ReturnsTheLastAnswer()
    {
        using var routed = await RouteAsync(Answer(HttpStatusCode.ServiceUnavailable), "a", "b");

        routed.Response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, "the caller sees what the agent said");
        routed.Provider.ShouldBe($"agent:{_sent[^1]}");
        routed.Failovers.ShouldHaveSingleItem().ShouldBe($"agent:{_sent[0]} answered 503");
        CapabilityRegistry.Outstanding(_directory.Find(_sent[0])).ShouldBe(0, "the passed-over answer was let go");
    }

    [Fact]
    public async Task RouteAsync_UserError_IsTheAnswerWithoutFailover()
    {
        using var routed = await RouteAsync(Answer(HttpStatusCode.UnprocessableEntity), "a", "b");

        routed.Response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        _sent.Count.ShouldBe(1, "a 4xx is the caller's problem: another provider would answer the same");
    }

    [Fact]
    public async Task RouteAsync_NoProviderHealthy_UnavailableNamingEach()
    {
        _directory.Publish([Route("a"), Route("b")]);

        var error = await Should.ThrowAsync<CapabilityUnavailableException>(() => RouteAsync(Answer(HttpStatusCode.OK), "a", "b"));

        error.Message.ShouldContain("agent:a has no healthy instance");
        error.Message.ShouldContain("agent:b has no healthy instance");
        error.AllCircuitsOpen.ShouldBeFalse();
        _sent.ShouldBeEmpty();
    }

    private static AgentRoute Route(string name, params Uri[] healthy) => new(name, healthy.Length > 0 ? AgentState.Running : AgentState.Unhealthy, healthy);

    private static Func<AgentRoute, HttpStatusCode> Answer(HttpStatusCode status) => _ => status;

    private Task<RoutedResponse> RouteAsync(Func<AgentRoute, HttpStatusCode> answer, params string[] agents) =>
        _router.RouteAsync("summarize", agents.Length == 0 ? ["a", "b", "c"] : agents, (route, _, _) => Send(route, answer(route)), null, TestTimeouts.Token());

    private Task<HttpResponseMessage> Send(AgentRoute route, HttpStatusCode status)
    {
        _sent.Add(route.AgentName);
        return Task.FromResult(new HttpResponseMessage(status));
    }

    private Task<HttpResponseMessage> Refused(AgentRoute route)
    {
        _sent.Add(route.AgentName);
        return Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
    }
}
