namespace Berth.Core.Specs;

/// <summary>When an exited instance is started again, with exponential backoff from 1s up to <see cref="MaxBackoff"/>.</summary>
public sealed record RestartSpec
{
    /// <summary>Restart policy. Default <see cref="RestartPolicy.Always"/>.</summary>
    public RestartPolicy Policy { get; set; } = RestartPolicy.Always;

    /// <summary>Longest wait between restarts. Default 5m.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
