using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Proxy;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Server.Tests.Observability;

/// <summary>The per-agent call rate the agent views carry (<c>requestRate</c>): its one-minute window, and on a real server.</summary>
public sealed class ProxyTrafficTests
{
    [Fact]
    public void RatePerSecond_CountsCallsOfTheLastMinuteOnly()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z"));
        var traffic = new ProxyTraffic(clock);

        for (var i = 0; i < 30; i++)
        {
            traffic.Record("a");
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 15; i++)
        {
            traffic.Record("a");
        }

        traffic.Record("b");

        traffic.RatePerSecond("a").ShouldBe(0.75, "45 calls in the last minute");
        traffic.RatePerSecond("b").ShouldBe(0.017, "one call, rounded to three places");
        traffic.RatePerSecond("never-called").ShouldBe(0);
        clock.Advance(TimeSpan.FromSeconds(30));
        traffic.RatePerSecond("a").ShouldBe(0.25, "the first 30 calls are a minute old");
        clock.Advance(TimeSpan.FromSeconds(30));
        traffic.RatePerSecond("a").ShouldBe(0);
    }

    [Fact]
    public async Task AgentViews_CarryTheCallsThroughTheProxy()
    {
        using var agent = new BusyboxHttpAgent();
        var name = $"r{Guid.NewGuid():N}"[..12];
        await using var server = await TestServer.StartAsync();
        (await server.ApplyAsync(agent.Spec(name))).EnsureSuccessStatusCode();
        await server.WaitForAsync(name, a => a.ReadyReplicas == 1);

        for (var i = 0; i < 3; i++)
        {
            using var call = await server.Http.GetAsync($"/agents/{name}/", TestTimeouts.Token());
            call.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var one = await server.Http.GetFromJsonAsync<AgentView>($"/api/v1/agents/{name}", BerthJson.Options, TestTimeouts.Token());
        var all = await server.Http.GetFromJsonAsync<List<AgentView>>("/api/v1/agents", BerthJson.Options, TestTimeouts.Token());

        one!.RequestRate.ShouldBe(0.05, "three calls over a minute");
        all!.Single(a => a.Name == name).RequestRate.ShouldBe(0.05);
    }
}
