namespace Berth.Runtime.Process.Logs;

/// <summary>
/// Which ticks of the <see cref="LogStamper"/> look at one log: every tick while the log changes, then every 2nd, 4th and
/// at most every <see cref="MaxTicksBetweenLooks"/>th tick while it stays the same, and every tick again from the first
/// look that finds it changed. Counted in ticks, not time, so a late timer never pushes a look past a tick.
/// </summary>
internal sealed class QuietLogBackoff
{
    /// <summary>The most ticks between two looks at a quiet log (8 ticks of 250 ms: 2 s).</summary>
    public const int MaxTicksBetweenLooks = 8;

    private int _ticksBetweenLooks = 1;
    private int _ticksToWait;

    /// <summary>Counts one tick; true when this tick should look at the log.</summary>
    public bool IsDue()
    {
        if (_ticksToWait > 0)
        {
            _ticksToWait--;
            return false;
        }

        return true;
    }

    /// <summary>Records a look: back to every tick when the log <paramref name="changed"/>, else twice as far apart as before.</summary>
    public void Looked(bool changed)
    {
        _ticksBetweenLooks = changed ? 1 : Math.Min(_ticksBetweenLooks * 2, MaxTicksBetweenLooks);
        _ticksToWait = _ticksBetweenLooks - 1;
    }
}
