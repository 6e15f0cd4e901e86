using Berth.Core.Specs;
using Berth.Server.Plugins.Pools;

namespace Berth.Server.Tests.Plugins;

/// <summary>The pool sizing policy: grow with the calls in flight and waiting up to the ceiling, shrink to the warm floor only when idle long enough.</summary>
public sealed class PluginPoolSizingTests
{
    private static readonly PluginPoolSpec Pool = new() { MinWarm = 1, MaxInstances = 4, Concurrency = 2, IdleTimeout = TimeSpan.FromMinutes(5) };

    [Theory]
    [InlineData(1, 1, 1)] // one call fits the warm instance
    [InlineData(1, 2, 1)] // two calls fit it too: two per instance
    [InlineData(1, 3, 2)] // a third needs another instance
    [InlineData(2, 8, 4)]
    [InlineData(2, 50, 4)] // never past maxInstances
    [InlineData(3, 1, 3)] // never shrinks under load
    public void ForDemand_CallsInFlightAndWaiting_InstancesToHoldThemUpToTheCeiling(int current, int demand, int expected) =>
        PluginPoolSizing.ForDemand(Pool, current, demand).ShouldBe(expected);

    [Fact]
    public void ForDemand_NoWarmFloorAndAFirstCall_StartsOneInstance() =>
        PluginPoolSizing.ForDemand(Pool with { MinWarm = 0 }, current: 0, demand: 1).ShouldBe(1);

    [Fact]
    public void ForDemand_NoCalls_KeepsWhatRuns() =>
        PluginPoolSizing.ForDemand(Pool, current: 3, demand: 0).ShouldBe(3);

    [Fact]
    public void WhenIdle_IdleForTheTimeout_GoesBackToTheWarmFloor() =>
        PluginPoolSizing.WhenIdle(Pool, current: 4, idleFor: TimeSpan.FromMinutes(5)).ShouldBe(1);

    [Fact]
    public void WhenIdle_IdleForLessThanTheTimeout_KeepsWhatRuns() =>
        PluginPoolSizing.WhenIdle(Pool, current: 4, idleFor: TimeSpan.FromMinutes(4)).ShouldBe(4);

    [Fact]
    public void WhenIdle_AlreadyAtOrBelowTheFloor_NeverGrows() =>
        PluginPoolSizing.WhenIdle(Pool with { MinWarm = 2 }, current: 1, idleFor: TimeSpan.FromHours(1)).ShouldBe(1);
}
