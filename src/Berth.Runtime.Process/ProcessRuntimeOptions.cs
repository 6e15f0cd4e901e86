namespace Berth.Runtime.Process;

/// <summary>Settings of the <c>process</c> runtime driver.</summary>
public sealed record ProcessRuntimeOptions
{
    /// <summary>
    /// Absolute directory holding one folder per instance (state file and logs); the server passes
    /// <c>{dataDir}/process</c>. Required.
    /// </summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>How long <see cref="ProcessAgentRuntime.RemoveAsync"/> waits after SIGTERM before SIGKILL. Default 10s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);
}
