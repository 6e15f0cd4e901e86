using Berth.Server.Reconciliation;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Server.Tests.Reconciliation;

public sealed class ProbeScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_AnyLastProbe_IsLaterButAtMostOneIntervalAfter()
    {
        for (var i = 0; i < 200; i++)
        {
            var last = Start + TimeSpan.FromMilliseconds(i * 137);
            var next = ProbeSchedule.Next($"agent-{i}-abc123", Interval, last);

            next.ShouldBeGreaterThan(last);
            (next - last).ShouldBeLessThanOrEqualTo(Interval);
        }
    }

    [Fact]
    public void Next_SameInstance_KeepsItsPhaseAcrossIntervals()
    {
        var first = ProbeSchedule.Next("echo-1a2b3c", Interval, Start);
        var second = ProbeSchedule.Next("echo-1a2b3c", Interval, first);

        (second - first).ShouldBe(Interval, "once on its phase an instance is probed exactly every interval");
    }

    [Fact]
    public void IsDue_InstancesProbedTogether_SpreadOverTheInterval()
    {
        // 500 agents that turned healthy in the same second, then one-second passes for one interval (fake clock).
        var clock = new FakeTimeProvider(Start);
        var ids = Enumerable.Range(0, 500).Select(i => $"scale-{i}-{i * 7919 % 65536:x4}").ToList();
        var last = ids.ToDictionary(id => id, _ => (DateTimeOffset?)clock.GetUtcNow());
        var perPass = new List<int>();
        for (var pass = 0; pass < 10; pass++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var due = ids.Where(id => ProbeSchedule.IsDue(id, Interval, last[id], clock.GetUtcNow())).ToList();
            due.ForEach(id => last[id] = clock.GetUtcNow());
            perPass.Add(due.Count);
        }

        perPass.Sum().ShouldBe(500, "every instance is probed once per interval");
        perPass.Max().ShouldBeLessThan(100, $"no pass probes most of them at once (probes per pass: {string.Join(", ", perPass)})");
    }

    [Fact]
    public void IsDue_NeverProbed_IsDue()
    {
        ProbeSchedule.IsDue("echo-000000", Interval, null, Start).ShouldBeTrue();
    }
}
