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

    /// <summary>
    /// Memory-backed (tmpfs) directory where instances' <c>files</c> are written, one owner-only folder per instance named to the
    /// agent in <c>BERTH_FILES_DIR</c>. Default <c>/dev/shm/berth</c>; the server passes one of its own.
    /// </summary>
    public string FilesDirectory { get; set; } = "/dev/shm/berth";
}
