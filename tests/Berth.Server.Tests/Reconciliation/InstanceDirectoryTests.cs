using Berth.Core.Agents;
using Berth.Server.Reconciliation;
using Shouldly;
using Xunit;

namespace Berth.Server.Tests.Reconciliation;

/// <summary>
/// The reconciler publishes an agent's route as soon as its step changed it, not only at the end of the pass: the store already
/// shows that state, and a client told "running" must be able to reach the agent.
/// </summary>
public sealed class InstanceDirectoryTests
{
    private static readonly Uri First = new("http://127.0.0.1:40001");
    private static readonly Uri Second = new("http://127.0.0.1:40002");

    [Fact]
    public void Update_NewHealthyEndpoint_IsFoundAtOnceAndOtherAgentsKeepTheirs()
    {
        var directory = new InstanceDirectory();
        directory.Publish([new AgentRoute("a", AgentState.Unhealthy, []), new AgentRoute("b", AgentState.Running, [Second])]);

        directory.Update(new AgentRoute("a", AgentState.Running, [First]));

        directory.Find("a").ShouldNotBeNull().Healthy.ShouldBe([First]);
        directory.Find("b").ShouldNotBeNull().Healthy.ShouldBe([Second]);
    }

    [Fact]
    public void Update_RouteLeadingWhereThePublishedOneLeads_PublishesNothing()
    {
        var directory = new InstanceDirectory();
        directory.Publish([new AgentRoute("a", AgentState.Running, [First])]);
        var published = 0;
        directory.Published += () => published++;

        directory.Update(new AgentRoute("a", AgentState.Running, [First]));
        directory.Update(new AgentRoute("a", AgentState.Running, [Second]));

        published.ShouldBe(1, "only the route that leads elsewhere is published");
        directory.Find("a").ShouldNotBeNull().Healthy.ShouldBe([Second]);
    }

    [Fact]
    public void Update_KeepsTheRequestsInFlightOfThePublishedRoute()
    {
        var directory = new InstanceDirectory();
        directory.Publish([new AgentRoute("a", AgentState.Running, [First])]);
        using var inFlight = directory.Find("a")!.Enter(First);

        directory.Update(new AgentRoute("a", AgentState.Running, [First, Second]));

        directory.Find("a").ShouldNotBeNull().Outstanding(First).ShouldBe(1);
    }
}
