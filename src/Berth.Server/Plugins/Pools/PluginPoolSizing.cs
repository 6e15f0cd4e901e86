using Berth.Core.Specs;

namespace Berth.Server.Plugins.Pools;

/// <summary>
/// How many instances a plugin pool should run. Under load it grows to hold every call in flight or waiting
/// (<c>pool.concurrency</c> calls an instance), never past <c>pool.maxInstances</c> and never shrinking; once the pool has
/// taken no call for <c>pool.idleTimeout</c> it goes back to <c>pool.minWarm</c>. A call always gets at least one instance,
/// so a pool with no warm floor starts one for its first call.
/// </summary>
internal static class PluginPoolSizing
{
    /// <summary>The instances to run for <paramref name="demand"/> calls (in flight plus waiting) when <paramref name="current"/> run now.</summary>
    public static int ForDemand(PluginPoolSpec pool, int current, int demand)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (demand <= 0)
        {
            return current;
        }

        var concurrency = Math.Max(1, pool.Concurrency);
        var needed = (int)Math.Min(int.MaxValue, ((long)demand + concurrency - 1) / concurrency);
        var ceiling = Math.Max(1, pool.MaxInstances);
        return Math.Max(current, Math.Min(needed, ceiling));
    }

    /// <summary>The instances to run when the pool has had no call in flight for <paramref name="idleFor"/>.</summary>
    public static int WhenIdle(PluginPoolSpec pool, int current, TimeSpan idleFor)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return idleFor >= pool.IdleTimeout ? Math.Min(current, pool.MinWarm) : current;
    }
}
