using System.Globalization;
using System.Text;
using Berth.Core.Runtime;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>Logs stay bounded: a tail costs what it returns, and a busy agent's logs are rotated.</summary>
public sealed class ProcessAgentRuntimeLogLimitsTests : ProcessRuntimeTestContext
{
    private const int RotateAt = 64 * 1024;

    // "line-000000\n" is 12 bytes: 5462 of them cross RotateAt with the last one, so the file reaches the size only
    // once a burst is complete and a rotation never races the writer.
    private const int LinesPerBurst = 5462;
    private const int Bursts = 4;

    [Fact]
    public async Task ReadLogsAsync_TailFarBeyondTheLimit_ReturnsAtMostTheLimitFromTheEnd()
    {
        // 40 MB of 1000-byte lines, then a marker. Rotation is set beyond that size: a copy-and-truncate rotation under a
        // writer this fast may drop the bytes written between copy and truncate (see RotatingLogFile), which would
        // shorten a line; this test is about the tail's bounds, the rotation tests below are about rotation.
        var runtime = CreateRuntime(o => o.LogMaxBytes = 64 * 1024 * 1024);
        var started = await runtime.StartAsync(
            Launch(ShellAgent(UniqueName(), "yes \"$(printf '%01000d' 7)\" 2>/dev/null | head -n 40000; echo last-line")), TestTimeouts.Token());
        await WaitForStatusAsync(runtime, started.InstanceId, RuntimeStatus.Exited);

        var entries = await ReadAllLogsAsync(runtime, started.InstanceId, new LogQuery { Tail = int.MaxValue });

        entries.Count.ShouldBeLessThanOrEqualTo(LogQuery.MaxTail);
        entries.Sum(e => Encoding.UTF8.GetByteCount(e.Line)).ShouldBeLessThanOrEqualTo(LogQuery.MaxTailBytes);
        entries.Sum(e => Encoding.UTF8.GetByteCount(e.Line)).ShouldBeGreaterThan(LogQuery.MaxTailBytes * 99 / 100, "the tail is filled up to the limit (newlines count towards it)");
        entries[^1].Line.ShouldBe("last-line");
        entries.SkipLast(1).ShouldAllBe(e => e.Line.Length == 1000);
    }

    [Fact]
    public async Task ReadLogsAsync_HugeLineWithoutNewline_ComesInBoundedParts()
    {
        var started = await Runtime.StartAsync(
            Launch(ShellAgent(UniqueName(), "head -c 5000000 /dev/zero | tr '\\0' x")), TestTimeouts.Token());
        await WaitForStatusAsync(Runtime, started.InstanceId, RuntimeStatus.Exited);

        var entries = await ReadAllLogsAsync(Runtime, started.InstanceId, new LogQuery { Tail = 2 });

        entries.Count.ShouldBe(2);
        entries.ShouldAllBe(e => e.Line.Length <= 64 * 1024 && e.Line.Length > 0 && e.Line.Trim('x').Length == 0);
    }

    [Fact]
    public async Task Logs_AgentWritingPastTheSize_AreRotatedAndAFollowReadsAcrossEveryRotation()
    {
        var runtime = CreateRuntime(o =>
        {
            o.LogMaxBytes = RotateAt;
            o.LogMaxFiles = 3;
        });
        var gate = Path.Combine(Path.GetTempPath(), $"berth-gate-{Guid.NewGuid():N}");
        var script = $"i=0; for b in $(seq 1 {Bursts}); do n=0; while [ $n -lt {LinesPerBurst} ]; do printf 'line-%06d\\n' $i; i=$((i+1)); n=$((n+1)); done; " +
                     "while [ ! -f \"$1.$b\" ]; do sleep 0.05; done; done; echo done; sleep 300";
        var started = await runtime.StartAsync(Launch(ShellAgent(UniqueName(), script, gate)), TestTimeouts.Token());
        var folder = Path.Combine(StateDirectory, started.InstanceId);
        var stdout = Path.Combine(folder, "stdout.log");

        var followed = new List<string>();
        var seen = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource(TestTimeouts.Slow);
        var following = Task.Run(async () =>
        {
            await foreach (var entry in runtime.ReadLogsAsync(started.InstanceId, new LogQuery { Follow = true }, stop.Token))
            {
                lock (followed)
                {
                    followed.Add(entry.Line);
                }

                seen.Release();
                if (entry.Line == "done")
                {
                    return;
                }
            }
        });

        for (var burst = 1; burst <= Bursts; burst++)
        {
            await WaitUntilAsync(() => Count(followed) >= burst * LinesPerBurst, seen);
            await WaitForRotationAsync(stdout);
            await File.WriteAllTextAsync($"{gate}.{burst}", "");
        }

        await following.WaitAsync(TestTimeouts.Slow);

        var expected = Enumerable.Range(0, Bursts * LinesPerBurst).Select(Line).Append("done").ToList();
        FirstDifference(followed, expected).ShouldBeNull("a follow sees every line once, in order, across four rotations");
        File.Exists($"{stdout}.1").ShouldBeTrue();
        File.Exists($"{stdout}.2").ShouldBeTrue();
        File.Exists($"{stdout}.3").ShouldBeFalse("three files are kept in all");
        new FileInfo($"{stdout}.1").Length.ShouldBeLessThanOrEqualTo(LinesPerBurst * 12);

        var kept = await ReadAllLogsAsync(runtime, started.InstanceId);
        FirstDifference([.. kept.Select(e => e.Line)], [.. expected.Skip((Bursts - 2) * LinesPerBurst)]).ShouldBeNull("what is kept is read from the oldest rotated file on");
        (await ReadAllLogsAsync(runtime, started.InstanceId, new LogQuery { Tail = 3 })).Select(e => e.Line)
            .ShouldBe([Line((Bursts * LinesPerBurst) - 2), Line((Bursts * LinesPerBurst) - 1), "done"]);
        var since = kept[LinesPerBurst].Time;
        (await ReadAllLogsAsync(runtime, started.InstanceId, new LogQuery { Since = since })).ShouldAllBe(e => e.Time >= since);
    }

    /// <summary>Where two long line lists first differ, said briefly; null when equal.</summary>
    private static string? FirstDifference(List<string> actual, List<string> expected)
    {
        for (var i = 0; i < Math.Max(actual.Count, expected.Count); i++)
        {
            var a = i < actual.Count ? actual[i] : "(none)";
            var e = i < expected.Count ? expected[i] : "(none)";
            if (a != e)
            {
                return $"at {i} of {actual.Count} (expected {expected.Count}): got {a}, expected {e}";
            }
        }

        return null;
    }

    private static string Line(int i) => string.Create(CultureInfo.InvariantCulture, $"line-{i:D6}");

    private static int Count(List<string> lines)
    {
        lock (lines)
        {
            return lines.Count;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, SemaphoreSlim signal)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Slow);
        while (!condition())
        {
            await signal.WaitAsync(timeout.Token);
        }
    }

    /// <summary>The writer is idle at the end of a burst with the file past the size; the runtime truncates it when it rotates.</summary>
    private static Task WaitForRotationAsync(string stdout) =>
        Eventually.TrueAsync(() => new FileInfo(stdout).Length < RotateAt, $"{stdout} rotated");
}
