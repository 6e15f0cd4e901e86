using Berth.Core.Plugins;
using Berth.Core.Specs;
using Berth.Server.Plugins.Pools;

namespace Berth.Server.Tests.Plugins;

/// <summary>Slot accounting of one pool: at most pool.concurrency calls an instance, least busy first, the avoided instance last.</summary>
public sealed class PluginPoolStateTests
{
    private static readonly Uri A = new("http://127.0.0.1:1001/");
    private static readonly Uri B = new("http://127.0.0.1:1002/");

    [Fact]
    public void TryTake_ConcurrencyTwoOnTwoInstances_HandsOutFourSlotsSpreadThenNone()
    {
        var pool = NewPool();

        var taken = Enumerable.Range(0, 5).Select(_ => pool.TryTake([A, B], concurrency: 2, avoid: null)).ToList();

        taken.Take(4).Count(u => u == A).ShouldBe(2);
        taken.Take(4).Count(u => u == B).ShouldBe(2);
        taken[4].ShouldBeNull("every slot is busy");
        pool.InFlight.ShouldBe(4);
    }

    [Fact]
    public void Release_ABusySlot_CanBeTakenAgain()
    {
        var pool = NewPool();
        pool.TryTake([A], 1, null).ShouldBe(A);
        pool.TryTake([A], 1, null).ShouldBeNull();

        pool.Release(A);

        pool.InFlight.ShouldBe(0);
        pool.TryTake([A], 1, null).ShouldBe(A);
    }

    [Fact]
    public void TryTake_AvoidingAnInstance_TakesAnotherWhenOneIsFreeElseTheAvoidedOne()
    {
        var pool = NewPool();

        pool.TryTake([A, B], 1, avoid: A).ShouldBe(B);
        pool.TryTake([A, B], 1, avoid: A).ShouldBe(A, "the avoided instance is still better than waiting");
    }

    [Fact]
    public void Release_AnInstanceThatLeftTheRoute_ForgetsItsSlotWithoutGoingNegative()
    {
        var pool = NewPool();
        pool.TryTake([A], 1, null);

        pool.Release(A);
        pool.Release(A);

        pool.InFlight.ShouldBe(0);
    }

    private static PluginPoolState NewPool() => new("plugin.p.1-0-0", new PluginRecord
    {
        Id = "p", Version = "1.0.0", Spec = new PluginSpec { Name = "p", Version = "1.0.0" }, Directory = "/tmp/p", Digest = "sha256:0", Source = "test",
        InstalledAt = DateTimeOffset.UnixEpoch, InstalledBy = "test",
    });
}
