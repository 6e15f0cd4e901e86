using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Reconciliation;

/// <summary>
/// Passes over agents that already run as wanted read no row again and write none, yet a change made between two passes
/// (a new spec, a stop, a scale, a removal) is acted on by the very next pass.
/// </summary>
public sealed class ReconcilerIdlePassTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Pass_AgentsConverged_WritesNoInstanceRowYetKeepsProbing()
    {
        await using var h = await ConvergedAsync(replicas: 2);
        var before = await AllInstancesAsync(h);
        var probes = h.Probe.Probes;

        await h.PassesAsync(20, Second);

        (await AllInstancesAsync(h)).ShouldBeSameAs(before, "a healthy probe of a running instance changes no row, so the instances table is untouched");
        (h.Probe.Probes - probes).ShouldBe(4, "two instances, each probed once per 10s interval over 20s");
    }

    [Fact]
    public async Task Pass_SpecChangedAfterIdlePasses_ReplacedOnTheNextPass()
    {
        await using var h = await ConvergedAsync();

        await h.ApplyAsync(Spec() with { Env = new Dictionary<string, string> { ["MODE"] = "new" } });
        await h.PassAsync();

        var instance = await h.SingleAsync();
        instance.Generation.ShouldBe(2);
        h.Runtime.Instances.ShouldHaveSingleItem().Generation.ShouldBe(2, "the instance of the old spec is gone");
    }

    [Fact]
    public async Task Pass_StoppedAfterIdlePasses_StoppedOnTheNextPass()
    {
        await using var h = await ConvergedAsync();

        await h.Agents.SetDesiredStateAsync("echo", DesiredState.Stopped, TestTimeouts.Token(TestTimeouts.Quick));
        await h.PassAsync();

        (await h.SingleAsync()).State.ShouldBe(InstanceState.Stopped);
        h.Routes.Find("echo")!.Healthy.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pass_ScaledUpAfterIdlePasses_NewSlotStartedOnTheNextPass()
    {
        await using var h = await ConvergedAsync();

        await h.ApplyAsync(Spec(replicas: 3));
        await h.PassAsync();

        (await h.InstancesAsync()).Select(i => i.Ordinal).ShouldBe([0, 1, 2]);
    }

    [Fact]
    public async Task Pass_RemovedAfterIdlePasses_InstancesRemovedOnTheNextPass()
    {
        await using var h = await ConvergedAsync();

        await h.Agents.SetDesiredStateAsync("echo", DesiredState.Removed, TestTimeouts.Token(TestTimeouts.Quick));
        await h.PassAsync();

        h.Runtime.Instances.ShouldBeEmpty();
        h.Routes.Find("echo").ShouldBeNull();
    }

    [Fact]
    public async Task Pass_InstanceCrashedAfterIdlePasses_SeenOnTheNextPass()
    {
        await using var h = await ConvergedAsync();
        var instance = await h.SingleAsync();

        h.Runtime.Exit(instance.InstanceId, 1);
        await h.PassAsync();

        (await h.SingleAsync()).State.ShouldNotBe(InstanceState.Running, "a crash is noticed by the next pass, not after the probe interval");
        h.Routes.Find("echo")!.Healthy.ShouldBeEmpty();
    }

    private static AgentSpec Spec(int replicas = 1) =>
        ReconcilerHarness.Spec(replicas: replicas) with { Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(10) } };

    /// <summary>An agent running and healthy, after enough passes that every list the pass reads is a cached snapshot.</summary>
    private static async Task<ReconcilerHarness> ConvergedAsync(int replicas = 1)
    {
        var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(Spec(replicas));
        await h.PassesAsync(15, Second);
        (await h.InstancesAsync()).ShouldAllBe(i => i.State == InstanceState.Running);
        return h;
    }

    private static Task<IReadOnlyList<InstanceRecord>> AllInstancesAsync(ReconcilerHarness h) =>
        h.Services.GetRequiredService<IInstanceStore>().ListAsync(null, TestTimeouts.Token(TestTimeouts.Quick));
}
