namespace Berth.Server.Reconciliation;

/// <summary>What the reconciler remembers about one instance between passes (not persisted: a restart starts it afresh).</summary>
internal sealed class InstanceTracker
{
    /// <summary>When the last health probe ran; null when none ran since the instance (re)started.</summary>
    public DateTimeOffset? LastProbeAt { get; set; }

    /// <summary>Failed probes in a row outside the start period.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Exits in a row without a long enough run in between; drives the restart backoff.</summary>
    public int CrashStreak { get; set; }

    public void ResetProbes()
    {
        LastProbeAt = null;
        ConsecutiveFailures = 0;
    }
}
