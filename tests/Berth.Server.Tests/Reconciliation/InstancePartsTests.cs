using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Server.Reconciliation;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Reconciliation;

/// <summary>The reconciler's parts on their own: a fake clock, a scripted probe, the in-memory runtime and a real SQLite store.</summary>
public sealed class InstancePartsTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:40001/");

    private static AgentRecord Agent(AgentSpec spec, DateTimeOffset now) => new()
    {
        Name = spec.Name,
        Spec = spec,
        Generation = 1,
        DesiredState = DesiredState.Running,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static InstanceRecord Record(string agent, InstanceState state, DateTimeOffset now) => new()
    {
        InstanceId = $"{agent}-abc123",
        AgentName = agent,
        Ordinal = 0,
        Generation = 1,
        State = state,
        Endpoint = Endpoint,
        StartedAt = now,
        UpdatedAt = now,
    };

    private static RuntimeInstance Observed(InstanceRecord record) => new()
    {
        InstanceId = record.InstanceId,
        AgentName = record.AgentName,
        Ordinal = 0,
        Generation = 1,
        Status = RuntimeStatus.Running,
        Endpoint = Endpoint,
    };

    [Fact]
    public async Task ProbeAsync_StartingInstanceAnswers_BecomesRunningWithAHealthyEvent()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        var prober = h.Services.GetRequiredService<InstanceProber>();
        await h.ApplyAsync(ReconcilerHarness.Spec() with { Health = new HealthSpec { Path = "/health" } });
        var agent = (await h.Agents.GetAsync("echo", TestTimeouts.Token(TestTimeouts.Quick))).ShouldNotBeNull();
        var record = Record("echo", InstanceState.Starting, h.Clock.GetUtcNow());

        var after = await prober.ProbeAsync(agent, h.Runtime, record, Observed(record), TestTimeouts.Token(TestTimeouts.Quick));

        after.State.ShouldBe(InstanceState.Running);
        h.Probe.Probes.ShouldBe(1);
        (await h.EventsAsync()).ShouldContain(e => e.Reason == "Healthy" && e.InstanceId == record.InstanceId);
    }

    [Fact]
    public async Task ProbeAsync_RunningInstanceJustProbed_IsNotProbedAgainInTheSamePass()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        var prober = h.Services.GetRequiredService<InstanceProber>();
        var agent = Agent(ReconcilerHarness.Spec() with { Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(30) } }, h.Clock.GetUtcNow());
        var record = Record("echo", InstanceState.Running, h.Clock.GetUtcNow());
        var token = TestTimeouts.Token(TestTimeouts.Quick);
        await prober.ProbeAsync(agent, h.Runtime, record, Observed(record), token);

        await prober.ProbeAsync(agent, h.Runtime, record, Observed(record), token);
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await prober.ProbeAsync(agent, h.Runtime, record, Observed(record), token);

        h.Probe.Probes.ShouldBe(2, "the next probe waits for the instance's phase of its 30s interval, which comes within one interval");
    }

    [Fact]
    public async Task StartAsync_DependencyNotHealthy_StaysPendingAndSaysWhy()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        var launcher = h.Services.GetRequiredService<InstanceLauncher>();
        var now = h.Clock.GetUtcNow();
        var db = Agent(ReconcilerHarness.Spec("db"), now);
        var app = Agent(ReconcilerHarness.Spec("app") with { DependsOn = ["db"] }, now);
        var desired = new DesiredAgents([db, app], [Record("db", InstanceState.Starting, now)]);

        var after = await launcher.StartAsync(app, h.Runtime, Record("app", InstanceState.Pending, now), desired, restart: false, TestTimeouts.Token(TestTimeouts.Quick));

        after.State.ShouldBe(InstanceState.Pending);
        after.Message.ShouldBe("waiting for agent 'db' to be healthy");
        h.Runtime.Calls.ShouldNotContain(c => c.StartsWith("start ", StringComparison.Ordinal));
    }
}
