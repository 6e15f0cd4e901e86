using Berth.Core.Runtime;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

public sealed class ProcessAgentRuntimeLogsTests : ProcessRuntimeTestContext
{
    /// <summary>Prints "early" lines, then a "late" line once the test creates the file named by $1.</summary>
    private const string Gated = "echo early-out; echo early-err >&2; while [ ! -f \"$1\" ]; do sleep 0.05; done; echo late; sleep 300";

    [Fact]
    public async Task ReadLogsAsync_StdoutAndStderr_AreAttributedToTheirStream()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "echo to-out; echo to-err >&2; echo partial-no-newline | tr -d '\\n'")), TestTimeouts.Token());
        await WaitForStatusAsync(Runtime, started.InstanceId, RuntimeStatus.Exited);

        var entries = await ReadAllLogsAsync(Runtime, started.InstanceId);

        entries.Single(e => e.Line == "to-out").Source.ShouldBe(LogSource.Stdout);
        entries.Single(e => e.Line == "to-err").Source.ShouldBe(LogSource.Stderr);
        entries.Single(e => e.Line == "partial-no-newline").Source.ShouldBe(LogSource.Stdout);
        entries.ShouldAllBe(e => e.InstanceId == started.InstanceId);
        entries.ShouldAllBe(e => e.Time >= started.StartedAt!.Value.AddSeconds(-1) && e.Time <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task ReadLogsAsync_Tail_ReturnsOnlyTheLastLines()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "for i in 1 2 3 4 5; do echo line$i; done")), TestTimeouts.Token());
        await WaitForStatusAsync(Runtime, started.InstanceId, RuntimeStatus.Exited);

        var entries = await ReadAllLogsAsync(Runtime, started.InstanceId, new LogQuery { Tail = 2 });

        entries.Select(e => e.Line).ShouldBe(["line4", "line5"]);
    }

    [Fact]
    public async Task ReadLogsAsync_Since_SkipsOlderLines()
    {
        var gate = Path.Combine(Path.GetTempPath(), $"berth-gate-{Guid.NewGuid():N}");
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), Gated, gate)), TestTimeouts.Token());
        var early = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "early-err");
        var since = early.Max(e => e.Time).AddTicks(1);
        await File.WriteAllTextAsync(gate, "");
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "late");

        var entries = await ReadAllLogsAsync(Runtime, started.InstanceId, new LogQuery { Since = since });

        entries.Select(e => e.Line).ShouldBe(["late"]);
    }

    [Fact]
    public async Task ReadLogsAsync_Follow_YieldsLineWrittenLater()
    {
        var gate = Path.Combine(Path.GetTempPath(), $"berth-gate-{Guid.NewGuid():N}");
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), Gated, gate)), TestTimeouts.Token());
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "early-err");
        using var follow = new CancellationTokenSource(TestTimeouts.Slow);
        var seen = new List<string>();

        await foreach (var entry in Runtime.ReadLogsAsync(started.InstanceId, new LogQuery { Follow = true }, follow.Token))
        {
            seen.Add(entry.Line);
            if (entry.Line == "early-err")
            {
                await File.WriteAllTextAsync(gate, "", follow.Token);
            }

            if (entry.Line == "late")
            {
                break;
            }
        }

        seen.ShouldBe(["early-out", "early-err", "late"], ignoreOrder: true);
        seen[^1].ShouldBe("late");
    }

    [Fact]
    public async Task ReadLogsAsync_FollowAndInstanceRemoved_Ends()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "echo hello; sleep 300")), TestTimeouts.Token());
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "hello");
        var lines = new List<string>();
        var firstLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            await foreach (var entry in Runtime.ReadLogsAsync(started.InstanceId, new LogQuery { Follow = true }, TestTimeouts.Token()))
            {
                lines.Add(entry.Line);
                firstLine.TrySetResult();
            }
        });
        await firstLine.Task.WaitAsync(TestTimeouts.Quick);

        await Runtime.RemoveAsync(started.InstanceId, TestTimeouts.Token());

        await reading.WaitAsync(TestTimeouts.Quick);
        lines.ShouldBe(["hello"]);
    }

    [Fact]
    public async Task ReadLogsAsync_UnknownInstance_YieldsNothing()
    {
        (await ReadAllLogsAsync(Runtime, "nobody-0")).ShouldBeEmpty();
    }
}
