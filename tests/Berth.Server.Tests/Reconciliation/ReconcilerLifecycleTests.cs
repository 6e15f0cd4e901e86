using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Server.Tests.Reconciliation;

public sealed class ReconcilerLifecycleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Pass_NewAgentWithReplicas_StartsEachSlotAndTurnsHealthy()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec(replicas: 2));

        await h.PassAsync();
        (await h.InstancesAsync()).ShouldAllBe(i => i.State == InstanceState.Starting);
        h.Routes.Find("echo")!.Healthy.ShouldBeEmpty("the proxy must not route to an instance before its first passing probe");

        await h.PassAsync();
        var started = await h.InstancesAsync();
        started.Select(i => i.Ordinal).ShouldBe([0, 1], ignoreOrder: true);
        started.ShouldAllBe(i => i.State == InstanceState.Running);
        h.Runtime.Instances.Count.ShouldBe(2);
        h.Routes.Find("echo")!.Healthy.Count.ShouldBe(2);
        (await h.EventsAsync()).Select(e => e.Reason).ShouldContain("Healthy");
    }

    [Fact]
    public async Task Pass_AgentAlreadyConverged_StartsNothingNew()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec());
        await h.PassesAsync(5, Second);

        h.Runtime.Calls.Count(c => c.StartsWith("start", StringComparison.Ordinal)).ShouldBe(1);
        h.Runtime.Instances.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Pass_ReplicasLowered_RemovesHighestSlots()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec(replicas: 3));
        await h.PassAsync();
        var slotZero = (await h.InstancesAsync()).Single(i => i.Ordinal == 0).InstanceId;

        await h.ApplyAsync(ReconcilerHarness.Spec(replicas: 1) with { });
        var agent = await h.Agents.GetAsync("echo", CancellationToken.None);
        await h.PassAsync();

        var remaining = await h.InstancesAsync();
        remaining.ShouldHaveSingleItem().Ordinal.ShouldBe(0);
        h.Runtime.Instances.Count.ShouldBe(1);
        agent!.Generation.ShouldBe(2);
        remaining[0].InstanceId.ShouldNotBe(slotZero, "a new generation replaces its instances");
    }

    [Fact]
    public async Task Pass_SpecChanged_ReplacesInstanceWithNewGeneration()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec());
        await h.PassAsync();
        var first = await h.SingleAsync();

        await h.ApplyAsync(ReconcilerHarness.Spec() with { Env = new Dictionary<string, string> { ["MODE"] = "v2" } });
        await h.PassAsync();

        var second = await h.SingleAsync();
        second.InstanceId.ShouldNotBe(first.InstanceId);
        second.Generation.ShouldBe(2);
        h.Runtime.Calls.ShouldContain($"remove {first.InstanceId}");
        h.Runtime.Instances.ShouldHaveSingleItem().InstanceId.ShouldBe(second.InstanceId);
    }

    [Fact]
    public async Task Pass_StoppedThenStarted_StopsAndRestartsSameInstance()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec());
        await h.PassesAsync(2, Second);
        var id = (await h.SingleAsync()).InstanceId;
        h.Routes.Find("echo")!.Healthy.ShouldHaveSingleItem();

        await h.Agents.SetDesiredStateAsync("echo", DesiredState.Stopped, CancellationToken.None);
        await h.PassAsync();
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Stopped);
        h.Runtime.Calls.ShouldContain($"stop {id}");
        h.Routes.Find("echo")!.Healthy.ShouldBeEmpty();

        await h.Agents.SetDesiredStateAsync("echo", DesiredState.Running, CancellationToken.None);
        await h.PassesAsync(2, Second);
        var restarted = await h.SingleAsync();
        restarted.InstanceId.ShouldBe(id);
        restarted.State.ShouldBe(InstanceState.Running);
        h.Runtime.Starts(id).ShouldBe(2);
    }

    [Fact]
    public async Task Pass_AgentRemoved_RemovesInstancesResourcesAndRecord()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec(replicas: 2));
        await h.PassesAsync(2, Second);
        h.Routes.Find("echo").ShouldNotBeNull();

        await h.Agents.SetDesiredStateAsync("echo", DesiredState.Removed, CancellationToken.None);
        await h.PassAsync();

        h.Runtime.Instances.ShouldBeEmpty();
        h.Runtime.Calls.ShouldContain("cleanup echo");
        (await h.Agents.GetAsync("echo", CancellationToken.None)).ShouldBeNull();
        h.Routes.Find("echo").ShouldBeNull();
    }

    [Fact]
    public async Task Pass_InstanceRunningButUnknownToStore_AdoptsItWithoutStartingAnother()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec());
        h.Runtime.Seed(new RuntimeInstance
        {
            InstanceId = "echo-abc123",
            AgentName = "echo",
            Ordinal = 0,
            Generation = 1,
            Status = RuntimeStatus.Running,
            Endpoint = new Uri("http://127.0.0.1:45000/"),
            StartedAt = h.Clock.GetUtcNow(),
        });

        await h.PassAsync();

        var adopted = await h.SingleAsync();
        adopted.InstanceId.ShouldBe("echo-abc123");
        adopted.State.ShouldBe(InstanceState.Running);
        h.Runtime.Calls.ShouldNotContain(c => c.StartsWith("start", StringComparison.Ordinal));
        (await h.EventsAsync()).ShouldContain(e => e.Reason == "Adopted");
    }

    [Fact]
    public async Task Pass_InstanceOfUnknownAgent_RemovesTheOrphan()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Runtime.Seed(new RuntimeInstance
        {
            InstanceId = "ghost-000001",
            AgentName = "ghost",
            Ordinal = 0,
            Generation = 1,
            Status = RuntimeStatus.Running,
        });

        await h.PassAsync();

        h.Runtime.Instances.ShouldBeEmpty();
        h.Runtime.Calls.ShouldContain("cleanup ghost");
    }

    [Fact]
    public async Task Pass_DependencyNotHealthy_WaitsThenStartsOnceItIs()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec("web") with { DependsOn = ["db"] });

        await h.PassAsync();
        var waiting = await h.SingleAsync("web");
        waiting.State.ShouldBe(InstanceState.Pending);
        waiting.Message.ShouldNotBeNull().ShouldContain("'db'");

        await h.ApplyAsync(ReconcilerHarness.Spec("db"));
        await h.PassesAsync(4, Second);

        (await h.SingleAsync("web")).State.ShouldBe(InstanceState.Running);
    }

    [Fact]
    public async Task Pass_PrepareFailsWithConfigError_MarksFailedWithTheReason()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Runtime.PrepareFailure = _ => new RuntimeException("image 'local/missing:1' not found locally", RuntimeErrorKind.Config);
        await h.ApplyAsync(ReconcilerHarness.Spec());

        await h.PassesAsync(3, Second);

        var failed = await h.SingleAsync();
        failed.State.ShouldBe(InstanceState.Failed);
        failed.Message.ShouldNotBeNull().ShouldContain("local/missing:1");
        failed.Message.ShouldContain("berth restart echo");
        h.Runtime.Instances.ShouldBeEmpty();

        h.Runtime.PrepareFailure = _ => null;
        await h.Agents.BumpGenerationAsync("echo", CancellationToken.None);
        await h.PassesAsync(3, Second);
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Running, "a restart after the fix retries the preparation");
    }

    [Fact]
    public async Task Pass_PrepareFailsTransiently_RetriesAfterBackoff()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        var failures = 1;
        h.Runtime.PrepareFailure = _ => failures-- > 0 ? new RuntimeException("engine busy") : null;
        await h.ApplyAsync(ReconcilerHarness.Spec());

        await h.PassAsync();
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Restarting);

        h.Clock.Advance(Second);
        await h.PassAsync();
        await h.PassAsync();
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Running);
    }
}
