using System.Globalization;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Runtime.Process.Tests;

public sealed class ProcessAgentRuntimeLifecycleTests : ProcessRuntimeTestContext
{
    private const string Forever = "echo started; while true; do sleep 1; done";

    [Fact]
    public async Task StartAsync_ShellAgent_IsListedAsRunningWithLoopbackEndpoint()
    {
        var spec = ShellAgent(UniqueName(), Forever);

        var started = await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());

        var listed = (await Runtime.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();
        listed.InstanceId.ShouldBe($"{spec.Name}-0");
        listed.AgentName.ShouldBe(spec.Name);
        listed.Generation.ShouldBe(1);
        listed.Status.ShouldBe(RuntimeStatus.Running);
        listed.Endpoint.ShouldBe(started.Endpoint);
        listed.Endpoint!.Host.ShouldBe("127.0.0.1");
        listed.Endpoint.Port.ShouldBeGreaterThan(0);
        IsProcessLive(int.Parse(listed.NativeId!, CultureInfo.InvariantCulture)).ShouldBeTrue();
    }

    [Fact]
    public async Task StartAsync_AlreadyRunning_ReturnsTheSameProcess()
    {
        var launch = Launch(ShellAgent(UniqueName(), Forever));
        var first = await Runtime.StartAsync(launch, TestTimeouts.Token());

        var second = await Runtime.StartAsync(launch, TestTimeouts.Token());

        second.NativeId.ShouldBe(first.NativeId);
        second.Endpoint.ShouldBe(first.Endpoint);
    }

    [Fact]
    public async Task StartAsync_ArgsWithPortAndEnvReferences_AreExpanded()
    {
        var spec = ShellAgent(UniqueName(), "echo \"port=$(PORT) env=$PORT first=$1 second=$2 unknown=$3\"; sleep 300", "$(BERTH_AGENT)", "$$(PORT)", "$(NOPE)");

        var started = await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());

        var port = started.Endpoint!.Port;
        var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line.StartsWith("port=", StringComparison.Ordinal));
        logs.Single(e => e.Line.StartsWith("port=", StringComparison.Ordinal)).Line
            .ShouldBe($"port={port} env={port} first={spec.Name} second=$(PORT) unknown=$(NOPE)");
    }

    [Fact]
    public async Task StartAsync_ProgramExitsWithThree_RecordsExitCode()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "echo bye; exit 3")), TestTimeouts.Token());

        var exited = await WaitForStatusAsync(Runtime, started.InstanceId, RuntimeStatus.Exited);

        exited.ExitCode.ShouldBe(3);
        exited.FinishedAt.ShouldNotBeNull();
        exited.Endpoint.ShouldBeNull();
    }

    [Fact]
    public async Task StartAsync_ExitedInstance_StartsAgainInPlaceAndAppendsLogs()
    {
        var launch = Launch(ShellAgent(UniqueName(), "echo run $PORT; exit 0"));
        var first = await Runtime.StartAsync(launch, TestTimeouts.Token());
        await WaitForStatusAsync(Runtime, first.InstanceId, RuntimeStatus.Exited);

        var second = await Runtime.StartAsync(launch, TestTimeouts.Token());
        var exited = await WaitForStatusAsync(Runtime, first.InstanceId, RuntimeStatus.Exited);

        second.InstanceId.ShouldBe(first.InstanceId);
        second.NativeId.ShouldNotBe(first.NativeId);
        exited.ExitCode.ShouldBe(0);
        (await Runtime.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();
        var lines = (await ReadAllLogsAsync(Runtime, first.InstanceId)).Select(e => e.Line).ToList();
        lines.ShouldBe([$"run {first.Endpoint!.Port}", $"run {second.Endpoint!.Port}"]);
    }

    [Fact]
    public async Task StopAsync_ScriptWithBackgroundChild_EndsTheWholeTree()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "sleep 300 & echo child=$!; sleep 300")), TestTimeouts.Token());
        var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line.StartsWith("child=", StringComparison.Ordinal));
        var grandchild = int.Parse(logs.First(e => e.Line.StartsWith("child=", StringComparison.Ordinal)).Line["child=".Length..], CultureInfo.InvariantCulture);
        IsProcessLive(grandchild).ShouldBeTrue();

        await Runtime.StopAsync(started.InstanceId, TimeSpan.FromSeconds(5), TestTimeouts.Token());

        IsProcessLive(grandchild).ShouldBeFalse();
        IsProcessLive(int.Parse(started.NativeId!, CultureInfo.InvariantCulture)).ShouldBeFalse();
        var stopped = (await Runtime.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();
        stopped.Status.ShouldBe(RuntimeStatus.Exited);
        stopped.ExitCode.ShouldBe(128 + 15);
    }

    [Fact]
    public async Task StopAsync_ProgramIgnoresSigterm_IsKilledAfterGracePeriod()
    {
        var grace = TimeSpan.FromSeconds(30);
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "trap 'echo got TERM' TERM; echo ready; while true; do sleep 1; done")), TestTimeouts.Token());
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "ready");
        var pid = int.Parse(started.NativeId!, CultureInfo.InvariantCulture);

        // A second driver over the same state stops it on a clock that moves only when told: the grace ends when the test says.
        var clock = new FakeTimeProvider();
        var stopping = CreateRuntime(time: clock).StopAsync(started.InstanceId, grace, TestTimeouts.Token());
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "got TERM");
        var liveAfterTerm = IsProcessLive(pid);
        var stoppedEarly = stopping.IsCompleted;
        clock.Advance(grace);
        await Eventually.TrueAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(50)); // the driver looks at the group again every 50 ms of its clock
                return stopping.IsCompleted;
            },
            "the stop to finish once the grace has passed");
        await stopping;

        liveAfterTerm.ShouldBeTrue("SIGTERM came first, and the program lived on through it");
        stoppedEarly.ShouldBeFalse("the grace had not passed on the driver's clock");
        IsProcessLive(pid).ShouldBeFalse();

        // The driver that started the program records its exit when it reaps it, which may be just after the other driver's stop returns.
        var exited = await Eventually.MatchAsync(
            async ct => (await Runtime.ListAsync(ct)).ShouldHaveSingleItem(), instance => instance.ExitCode is not null, "the exit code to be recorded");
        exited.ExitCode.ShouldBe(128 + 9);
    }

    [Fact]
    public async Task RemoveAsync_RunningInstance_KillsItAndDeletesItsFolder()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "sleep 300 & echo child=$!; sleep 300")), TestTimeouts.Token());
        var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line.StartsWith("child=", StringComparison.Ordinal));
        var grandchild = int.Parse(logs.First(e => e.Line.StartsWith("child=", StringComparison.Ordinal)).Line["child=".Length..], CultureInfo.InvariantCulture);

        await Runtime.RemoveAsync(started.InstanceId, TestTimeouts.Token());

        IsProcessLive(grandchild).ShouldBeFalse();
        IsProcessLive(int.Parse(started.NativeId!, CultureInfo.InvariantCulture)).ShouldBeFalse();
        Directory.Exists(Path.Combine(StateDirectory, started.InstanceId)).ShouldBeFalse();
        (await Runtime.ListAsync(TestTimeouts.Token())).ShouldBeEmpty();
        await Runtime.RemoveAsync(started.InstanceId, TestTimeouts.Token());
    }

    [Fact]
    public async Task ListAsync_NewRuntimeOverSameStateDirectory_ReadoptsRunningProcessAndCanStopIt()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), Forever)), TestTimeouts.Token());
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "started");
        Runtime.Dispose();

        var restarted = CreateRuntime();
        var adopted = (await restarted.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();

        adopted.Status.ShouldBe(RuntimeStatus.Running);
        adopted.NativeId.ShouldBe(started.NativeId);
        adopted.Endpoint.ShouldBe(started.Endpoint);
        (await ReadAllLogsAsync(restarted, started.InstanceId)).Select(e => e.Line).ShouldContain("started");
        await restarted.StopAsync(started.InstanceId, TimeSpan.FromSeconds(5), TestTimeouts.Token());
        IsProcessLive(int.Parse(started.NativeId!, CultureInfo.InvariantCulture)).ShouldBeFalse();
        var stopped = (await restarted.ListAsync(TestTimeouts.Token())).ShouldHaveSingleItem();
        stopped.Status.ShouldBe(RuntimeStatus.Exited);
        stopped.FinishedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task StartAsync_MissingCommand_ThrowsConfigErrorNamingIt()
    {
        var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = "berth-no-such-program" } };

        var error = await Should.ThrowAsync<RuntimeException>(() => Runtime.StartAsync(Launch(spec), TestTimeouts.Token()));
        var prepareError = await Should.ThrowAsync<RuntimeException>(() => Runtime.PrepareAsync(spec, TestTimeouts.Token()));

        error.Kind.ShouldBe(RuntimeErrorKind.Config);
        error.Message.ShouldContain("berth-no-such-program");
        error.Message.ShouldContain("PATH");
        prepareError.Kind.ShouldBe(RuntimeErrorKind.Config);
        (await Runtime.ListAsync(TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task PrepareAsync_WorkingDirMissing_ThrowsConfigError()
    {
        var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = "sh", WorkingDir = "/nonexistent/berth-dir" } };

        var error = await Should.ThrowAsync<RuntimeException>(() => Runtime.PrepareAsync(spec, TestTimeouts.Token()));

        error.Kind.ShouldBe(RuntimeErrorKind.Config);
        error.Message.ShouldContain("/nonexistent/berth-dir");
    }

    [Fact]
    public async Task StartAsync_RelativeCommand_ResolvesAgainstWorkingDir()
    {
        var workingDir = Path.Combine(StateDirectory, "work");
        Directory.CreateDirectory(workingDir);
        var script = Path.Combine(workingDir, "agent.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"in $(pwd)\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = "./agent.sh", WorkingDir = workingDir } };

        await Runtime.PrepareAsync(spec, TestTimeouts.Token());
        var started = await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());

        (await WaitForStatusAsync(Runtime, started.InstanceId, RuntimeStatus.Exited)).ExitCode.ShouldBe(0);
        (await ReadAllLogsAsync(Runtime, started.InstanceId)).Select(e => e.Line).ShouldBe([$"in {workingDir}"]);
    }

    [Fact]
    public async Task StartAsync_VariableOnlyInServerEnvironment_DoesNotReachTheAgent()
    {
        var secret = $"BERTH_TEST_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secret, "leaked");
        try
        {
            var spec = ShellAgent(UniqueName(), "env; echo done");
            var launch = Launch(spec, new Dictionary<string, string> { ["GREETING"] = "hi there" });

            var started = await Runtime.StartAsync(launch, TestTimeouts.Token());

            await WaitForStatusAsync(Runtime, started.InstanceId, RuntimeStatus.Exited);
            var lines = (await ReadAllLogsAsync(Runtime, started.InstanceId)).Select(e => e.Line).ToList();
            lines.ShouldContain("done");
            lines.ShouldContain("GREETING=hi there");
            lines.ShouldContain($"PORT={started.Endpoint?.Port.ToString(CultureInfo.InvariantCulture) ?? "?"}");
            lines.ShouldNotContain(l => l.StartsWith(secret, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public void Supports_OnlyProcessAgents()
    {
        Runtime.Name.ShouldBe("process");
        Runtime.Supports(AgentKind.Process).ShouldBeTrue();
        Runtime.Supports(AgentKind.Container).ShouldBeFalse();
    }
}
