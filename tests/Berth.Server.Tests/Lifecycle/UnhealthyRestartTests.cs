using System.Net.Http.Json;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Lifecycle;

/// <summary>An instance that stays unhealthy is stopped and restarted, like a crashed one, unless its restart policy is never.</summary>
public sealed class UnhealthyRestartTests : BusyboxAgentServerTests
{
    [Fact]
    public async Task Reconciler_InstanceStaysUnhealthy_StopsAndRestartsItThenItRecovers()
    {
        var spec = Agent.Spec(Name) with { Health = Agent.Spec(Name).Health with { Interval = TimeSpan.FromSeconds(1), Retries = 1 } };
        (await Server.ApplyAsync(spec)).EnsureSuccessStatusCode();
        await Server.WaitRunningAsync(Name);
        var health = Path.Combine(Agent.Root, "health");

        File.Delete(health);
        var restarted = await Server.WaitForAsync(Name, v => v.Instances.Single().RestartCount >= 1);
        await File.WriteAllTextAsync(health, "ok\n");
        var recovered = await Server.WaitForAsync(Name, v => v.State == AgentState.Running);

        restarted.Instances.Single().RestartCount.ShouldBeGreaterThanOrEqualTo(1);
        recovered.Instances.Single().State.ShouldBe(InstanceState.Running);
        var events = await Server.Http.GetFromJsonAsync<List<AgentEvent>>($"/api/v1/agents/{Name}/events?limit=1000", BerthJson.Options, TestTimeouts.Token());
        var reasons = events!.Select(e => e.Reason).ToList();
        reasons.ShouldContain("Unhealthy");
        reasons.ShouldContain("Unresponsive");
        reasons.IndexOf("Unresponsive").ShouldBeLessThan(reasons.IndexOf("Restarted"));
        events!.First(e => e.Reason == "Unresponsive").Message.ShouldContain("unhealthy for 2 probes in a row");
    }
}
