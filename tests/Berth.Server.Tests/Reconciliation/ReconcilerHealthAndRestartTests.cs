using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Reconciliation;

public sealed class ReconcilerHealthAndRestartTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static AgentSpec Probed(TimeSpan? startPeriod = null) => ReconcilerHarness.Spec() with
    {
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(10), Retries = 3, StartPeriod = startPeriod ?? TimeSpan.Zero },
    };

    private static async Task<InstanceRecord> RunningAsync(ReconcilerHarness h)
    {
        await h.PassesAsync(2, Second);
        var running = await h.SingleAsync();
        running.State.ShouldBe(InstanceState.Running);
        return running;
    }

    [Fact]
    public async Task Pass_ProbesFailRetriesTimes_MarksUnhealthyAndDropsRoute()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(Probed());
        var running = await RunningAsync(h);
        h.Probe.Fail(running.Endpoint!);
        h.Clock.Advance(TimeSpan.FromSeconds(10));

        await h.PassesAsync(2, TimeSpan.FromSeconds(10));
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Running, "two failures are below retries: 3");

        await h.PassesAsync(1, TimeSpan.FromSeconds(10));
        var unhealthy = await h.SingleAsync();
        unhealthy.State.ShouldBe(InstanceState.Unhealthy);
        unhealthy.Message.ShouldBe("connection refused");
        h.Routes.Find("echo")!.Healthy.ShouldBeEmpty();
        (await h.EventsAsync()).ShouldContain(e => e.Reason == "Unhealthy" && e.Warning);
    }

    [Fact]
    public async Task Pass_UnhealthyInstancePassesAgain_BecomesRunning()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(Probed());
        var running = await RunningAsync(h);
        h.Probe.Fail(running.Endpoint!);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        await h.PassesAsync(3, TimeSpan.FromSeconds(10));
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Unhealthy);

        h.Probe.Heal(running.Endpoint!);
        await h.PassAsync();

        (await h.SingleAsync()).State.ShouldBe(InstanceState.Running);
        h.Routes.Find("echo")!.Healthy.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Pass_RunningInstance_ProbedOncePerInterval()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(Probed());
        await RunningAsync(h);
        var before = h.Probe.Probes;

        await h.PassesAsync(10, Second);

        h.Probe.Probes.ShouldBe(before + 1, "a 10s interval allows one probe in ten one-second passes");
    }

    [Fact]
    public async Task Pass_FailuresDuringStartPeriod_DoNotCount()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        h.Probe.AllHealthy = false;
        await h.ApplyAsync(Probed(startPeriod: TimeSpan.FromSeconds(30)));

        await h.PassesAsync(20, Second);
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Starting);

        await h.PassesAsync(15, Second);
        (await h.SingleAsync()).State.ShouldBe(InstanceState.Unhealthy);
    }

    [Fact]
    public async Task Pass_CrashLoop_RestartsWithDoublingBackoffUpToMax()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec() with { Restart = new RestartSpec { Policy = RestartPolicy.Always, MaxBackoff = TimeSpan.FromSeconds(4) } });
        await h.PassAsync();
        var id = (await h.SingleAsync()).InstanceId;

        var observedDelays = new List<TimeSpan>();
        for (var crash = 0; crash < 4; crash++)
        {
            h.Runtime.Exit(id, 1);
            await h.PassAsync();
            var restarting = await h.SingleAsync();
            restarting.State.ShouldBe(InstanceState.Restarting);
            restarting.ExitCode.ShouldBe(1);
            var delay = restarting.NextRestartAt!.Value - h.Clock.GetUtcNow();
            observedDelays.Add(delay);

            h.Clock.Advance(delay - TimeSpan.FromMilliseconds(1));
            await h.PassAsync();
            (await h.SingleAsync()).State.ShouldBe(InstanceState.Restarting, "no restart before the backoff ends");

            h.Clock.Advance(TimeSpan.FromMilliseconds(1));
            await h.PassAsync();
            (await h.SingleAsync()).State.ShouldBe(InstanceState.Starting);
        }

        observedDelays.ShouldBe([Second, 2 * Second, 4 * Second, 4 * Second]);
        (await h.SingleAsync()).RestartCount.ShouldBe(4);
        h.Runtime.Starts(id).ShouldBe(5);
    }

    [Fact]
    public async Task Pass_InstanceRanLongBeforeCrashing_BackoffStartsOver()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec());
        await h.PassAsync();
        var id = (await h.SingleAsync()).InstanceId;
        h.Runtime.Exit(id, 1);
        await h.PassAsync();
        h.Clock.Advance(Second);
        await h.PassAsync();

        h.Clock.Advance(TimeSpan.FromSeconds(30));
        h.Runtime.Exit(id, 1);
        await h.PassAsync();

        var restarting = await h.SingleAsync();
        (restarting.NextRestartAt!.Value - h.Clock.GetUtcNow()).ShouldBe(Second);
    }

    [Theory]
    [InlineData(RestartPolicy.Never, 1, InstanceState.Failed)]
    [InlineData(RestartPolicy.Never, 0, InstanceState.Exited)]
    [InlineData(RestartPolicy.OnFailure, 0, InstanceState.Exited)]
    [InlineData(RestartPolicy.OnFailure, 2, InstanceState.Restarting)]
    [InlineData(RestartPolicy.Always, 0, InstanceState.Restarting)]
    public async Task Pass_InstanceExits_FollowsRestartPolicy(RestartPolicy policy, int exitCode, InstanceState expected)
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec() with { Restart = new RestartSpec { Policy = policy } });
        await h.PassAsync();
        var id = (await h.SingleAsync()).InstanceId;
        (await TokensOfAsync(h, id)).ShouldBe(1, "a running instance has its own identity");

        h.Runtime.Exit(id, exitCode);
        await h.PassesAsync(3, TimeSpan.FromMilliseconds(100));

        var record = await h.SingleAsync();
        record.State.ShouldBe(expected);
        record.ExitCode.ShouldBe(exitCode);
        h.Runtime.Starts(id).ShouldBe(1);
        (await TokensOfAsync(h, id)).ShouldBe(expected == InstanceState.Restarting ? 1 : 0, "an instance that will not run again keeps no token");
    }

    private static async Task<int> TokensOfAsync(ReconcilerHarness h, string instanceId) =>
        (await h.Services.GetRequiredService<ITokenStore>().ListForAgentAsync("echo", CancellationToken.None)).Count(t => t.InstanceId == instanceId);

    [Fact]
    public async Task Pass_OutOfMemoryKill_SaysSoInTheEvent()
    {
        await using var h = await ReconcilerHarness.CreateAsync();
        await h.ApplyAsync(ReconcilerHarness.Spec());
        await h.PassAsync();
        var id = (await h.SingleAsync()).InstanceId;

        h.Runtime.Exit(id, 137, oomKilled: true);
        await h.PassAsync();

        (await h.EventsAsync()).ShouldContain(e => e.Reason == "Exited" && e.Message.Contains("memory limit", StringComparison.Ordinal));
    }
}
