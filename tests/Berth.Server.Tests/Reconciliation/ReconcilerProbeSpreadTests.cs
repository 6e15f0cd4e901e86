using Berth.Core.Agents;
using Berth.Core.Specs;

namespace Berth.Server.Tests.Reconciliation;

public sealed class ReconcilerProbeSpreadTests
{
    private const int AgentCount = 40;

    [Fact]
    public async Task Pass_ManyAgentsHealthyAtOnce_ProbesSpreadOverTheInterval()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        for (var i = 0; i < AgentCount; i++)
        {
            await h.ApplyAsync(ReconcilerHarness.Spec($"herd-{i}") with { Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(10) } });
        }

        await h.PassesAsync(2, TimeSpan.FromSeconds(1));
        for (var i = 0; i < AgentCount; i++)
        {
            (await h.SingleAsync($"herd-{i}")).State.ShouldBe(InstanceState.Running);
        }

        var perPass = new List<int>();
        for (var pass = 0; pass < 10; pass++)
        {
            var before = h.Probe.Probes;
            await h.PassesAsync(1, TimeSpan.FromSeconds(1));
            perPass.Add(h.Probe.Probes - before);
        }

        perPass.Sum().ShouldBe(AgentCount, "each running agent is probed once per 10s interval");
        perPass.Max().ShouldBeLessThan(AgentCount / 2, $"agents that turned healthy together are not all probed in one pass again (probes per pass: {string.Join(", ", perPass)})");
    }
}
