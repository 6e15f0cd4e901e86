namespace Berth.Server.Reconciliation;

/// <summary>
/// When a running instance is probed next. Each instance probes on its own phase of the interval, a stable hash of its id,
/// so hundreds of agents started by one apply are not all probed in the same pass every interval (a thundering herd that
/// makes the probes themselves time out); over one interval every instance is still probed exactly once.
/// </summary>
internal static class ProbeSchedule
{
    /// <summary>The first probe time after <paramref name="last"/> on the instance's phase: later than <paramref name="last"/>, at most one interval after it.</summary>
    public static DateTimeOffset Next(string instanceId, TimeSpan interval, DateTimeOffset last)
    {
        if (interval <= TimeSpan.Zero)
        {
            return last;
        }

        var phase = (long)(Phase(instanceId) % (ulong)interval.Ticks);
        var ticks = last.UtcTicks;
        var slot = ticks - ((ticks - phase) % interval.Ticks + interval.Ticks) % interval.Ticks;
        return new DateTimeOffset(slot + interval.Ticks, TimeSpan.Zero);
    }

    /// <summary>Whether a probe is due now, given when the last one ran (null: never since the instance started).</summary>
    public static bool IsDue(string instanceId, TimeSpan interval, DateTimeOffset? last, DateTimeOffset now) =>
        last is not { } previous || now >= Next(instanceId, interval, previous);

    // FNV-1a rather than string.GetHashCode, which is randomised per process: the phase must survive a server restart.
    private static ulong Phase(string instanceId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in instanceId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
