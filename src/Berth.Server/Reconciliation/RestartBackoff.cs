namespace Berth.Server.Reconciliation;

/// <summary>Exponential restart delays: 1s, 2s, 4s … up to the spec's <c>restart.maxBackoff</c>.</summary>
internal static class RestartBackoff
{
    /// <summary>An instance that ran at least this long before exiting starts its backoff from the beginning again.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);

    /// <summary>The wait before restart number <paramref name="crashStreak"/> (1 for the first crash in a row).</summary>
    public static TimeSpan Delay(int crashStreak, TimeSpan maxBackoff)
    {
        var exponent = Math.Clamp(crashStreak - 1, 0, 30);
        var delay = TimeSpan.FromTicks(Initial.Ticks * (1L << exponent));
        return delay < maxBackoff ? delay : maxBackoff;
    }
}
