using Berth.Core.Runtime;
using Berth.Runtime.Process.Processes;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

public sealed class ProcessAgentRuntimeStatsTests : ProcessRuntimeTestContext
{
    [Fact]
    public async Task GetStatsAsync_BusyChildProcess_CountsItsCpuAndTheTreesMemory()
    {
        // The spinning loop runs in a child shell, not the instance's own process: the tree is what is measured.
        var spec = ShellAgent(UniqueName(), "(while :; do :; done) & echo started; while true; do sleep 1; done");
        await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());
        var instanceId = $"{spec.Name}-0";

        var stats = await Eventually.MatchAsync(
            ct => Runtime.GetStatsAsync(instanceId, ct),
            s => s?.CpuPercent > 5,
            s => $"a CPU figure over 5% for a spinning child; last sample {s?.CpuPercent}%");

        stats!.InstanceId.ShouldBe(instanceId);
        stats.MemoryBytes.ShouldBeGreaterThan(0);
        stats.MemoryLimitBytes.ShouldBeNull("process agents have no memory limit");
        stats.NetworkRxBytes.ShouldBeNull("a process shares the host's network, whose traffic is not the agent's alone");
        stats.NetworkTxBytes.ShouldBeNull();
    }

    [Fact]
    public async Task GetStatsAsync_StoppedInstance_ReturnsNull()
    {
        var spec = ShellAgent(UniqueName(), "while true; do sleep 1; done");
        await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());
        await Runtime.StopAsync($"{spec.Name}-0", TimeSpan.FromSeconds(2), TestTimeouts.Token());

        (await Runtime.GetStatsAsync($"{spec.Name}-0", TestTimeouts.Token())).ShouldBeNull();
    }

    [Fact]
    public async Task GetStatsAsync_UnknownInstance_ReturnsNull() =>
        (await Runtime.GetStatsAsync($"{UniqueName()}-0", TestTimeouts.Token())).ShouldBeNull();

    [Fact]
    public void Parse_CommandNameWithSpacesAndParentheses_ReadsTheFieldsAfterIt()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime prio nice threads itreal starttime vsize rss
        var line = "4242 (my (odd) agent) S 4000 4100 4200 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 98765 1000000 250 18446744073709551615";

        var entry = ProcessTreeUsage.Parse(4242, line);

        entry.ShouldNotBeNull();
        entry.Parent.ShouldBe(4000);
        entry.Group.ShouldBe(4100);
        entry.Session.ShouldBe(4200);
        entry.CpuTicks.ShouldBe(13, "utime + stime + cutime + cstime");
        entry.StartTime.ShouldBe(98765);
        entry.ResidentPages.ShouldBe(250);
    }
}
