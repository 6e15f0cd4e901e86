namespace Berth.Core.Workflows;

/// <summary>Whether a step's result is reused when its cache key was seen before, and for how long.</summary>
public sealed record StepCacheSpec
{
    /// <summary>Whether results are cached; null for the kind's default (container: yes, agent and workflow: no).</summary>
    public bool? Enabled { get; set; }

    /// <summary>How long a result may be reused; null for no limit.</summary>
    public TimeSpan? Ttl { get; set; }
}
